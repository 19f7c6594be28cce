package dev.keyway.scim.protocol;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.keyway.scim.protocol.schema.Attribute;
import dev.keyway.scim.protocol.schema.ResourceType;
import dev.keyway.scim.protocol.schema.Schema;

/**
 * Turns what a client sent into the canonical document we store: attribute names spelled as the schema spells them
 * (SCIM names are case-insensitive), values of the declared type ({@code "False"} becomes {@code false}), read-only
 * and write-only attributes dropped, unknown attributes ignored rather than rejected, at most one primary value.
 */
public final class Canonicalizer {

    private Canonicalizer() {
    }

    /** The canonical document of a resource of {@code type}; required attributes are checked. */
    public static ObjectNode canonicalize(ResourceType type, JsonNode input) {
        ObjectNode document = partial(type, input);
        for (Attribute attribute : type.core().attributes()) {
            if (attribute.required() && !document.hasNonNull(attribute.name())) {
                throw ScimException.invalidValue("'" + attribute.name() + "' is required.");
            }
        }
        return document;
    }

    /** Canonical names and values for some attributes of a resource (a path-less PATCH value). */
    public static ObjectNode partial(ResourceType type, JsonNode input) {
        if (!(input instanceof ObjectNode body)) {
            throw ScimException.invalidSyntax("The request body must be a JSON object.");
        }
        ObjectNode document = ScimJson.object();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String name = field.getKey();
            if (name.equalsIgnoreCase("externalId")) {
                putIfPresent(document, "externalId", text(field.getValue(), "externalId"));
                continue;
            }
            Optional<Schema> extension = type.extension(name);
            if (extension.isPresent()) {
                putIfPresent(document, extension.get().id(), object(extension.get(), field.getValue(), name));
                continue;
            }
            type.core().attribute(name)
                    .filter(attribute -> isWritable(attribute))
                    .ifPresent(attribute -> putIfPresent(document, attribute.name(),
                            value(attribute, field.getValue(), attribute.name())));
        }
        return document;
    }

    private static ObjectNode object(Schema extension, JsonNode input, String path) {
        if (input == null || input.isNull()) {
            return null;
        }
        if (!input.isObject()) {
            throw ScimException.invalidValue("'" + path + "' must be an object.");
        }
        ObjectNode out = ScimJson.object();
        input.properties().forEach(field -> extension.attribute(field.getKey())
                .filter(Canonicalizer::isWritable)
                .ifPresent(attribute -> putIfPresent(out, attribute.name(),
                        value(attribute, field.getValue(), path + ":" + attribute.name()))));
        return out.isEmpty() ? null : out;
    }

    /** The canonical value of one attribute, or null when it is absent or empty. */
    public static JsonNode value(Attribute attribute, JsonNode input, String path) {
        if (input == null || input.isNull() || input.isMissingNode()) {
            return null;
        }
        if (!attribute.multiValued()) {
            return single(attribute, input, path);
        }
        ArrayNode values = ScimJson.array();
        for (JsonNode element : input.isArray() ? input : ScimJson.array().add(input)) {
            JsonNode value = single(attribute, element, path);
            if (value != null) {
                values.add(value);
            }
        }
        keepOnePrimary(values);
        return values.isEmpty() ? null : values;
    }

    /** One element of a multi-valued attribute (the value of {@code emails[type eq "work"]}). */
    public static JsonNode element(Attribute attribute, JsonNode input, String path) {
        return single(attribute, input, path);
    }

    private static JsonNode single(Attribute attribute, JsonNode input, String path) {
        if (input == null || input.isNull()) {
            return null;
        }
        return switch (attribute.type()) {
            case COMPLEX -> complex(attribute, input, path);
            case BOOLEAN -> bool(input, path);
            case DATE_TIME -> dateTime(input, path);
            case DECIMAL, INTEGER -> {
                if (!input.isNumber()) {
                    throw ScimException.invalidValue("'" + path + "' must be a number.");
                }
                yield input;
            }
            default -> text(input, path);
        };
    }

    private static JsonNode complex(Attribute attribute, JsonNode input, String path) {
        if (input.isValueNode() && attribute.subAttribute("value").isPresent()) {
            // Entra sends "manager": "<id>" for {"value": "<id>"}
            return complex(attribute, ScimJson.object().set("value", input), path);
        }
        if (!input.isObject()) {
            throw ScimException.invalidValue("'" + path + "' must be an object.");
        }
        ObjectNode out = ScimJson.object();
        input.properties().forEach(field -> attribute.subAttribute(field.getKey())
                .filter(Canonicalizer::isWritable)
                .ifPresent(sub -> putIfPresent(out, sub.name(),
                        single(sub, field.getValue(), path + "." + sub.name()))));
        return out.isEmpty() ? null : out;
    }

    private static JsonNode bool(JsonNode input, String path) {
        if (input.isBoolean()) {
            return input;
        }
        if (input.isTextual()
                && (input.asText().equalsIgnoreCase("true") || input.asText().equalsIgnoreCase("false"))) {
            return BooleanNode.valueOf(Boolean.parseBoolean(input.asText().toLowerCase(Locale.ROOT)));
        }
        throw ScimException.invalidValue("'" + path + "' must be true or false.");
    }

    private static JsonNode dateTime(JsonNode input, String path) {
        try {
            OffsetDateTime.parse(input.asText());
            return TextNode.valueOf(input.asText());
        } catch (DateTimeParseException e) {
            throw ScimException.invalidValue("'" + path + "' must be an xsd:dateTime, e.g. 2026-01-31T12:00:00Z.");
        }
    }

    private static TextNode text(JsonNode input, String path) {
        if (input == null || input.isNull()) {
            return null;
        }
        if (input.isTextual() || input.isNumber() || input.isBoolean()) {
            return TextNode.valueOf(input.asText());
        }
        throw ScimException.invalidValue("'" + path + "' must be a string.");
    }

    /** RFC 7643 §2.4: "primary" true at most once; the first one wins. */
    private static void keepOnePrimary(ArrayNode values) {
        boolean seen = false;
        for (JsonNode value : values) {
            if (value instanceof ObjectNode object && object.path("primary").asBoolean(false)) {
                if (seen) {
                    object.put("primary", false);
                }
                seen = true;
            }
        }
    }

    private static boolean isWritable(Attribute attribute) {
        return attribute.mutability() != Attribute.Mutability.READ_ONLY
                && attribute.mutability() != Attribute.Mutability.WRITE_ONLY;
    }

    private static void putIfPresent(ObjectNode target, String name, JsonNode value) {
        if (value != null) {
            target.set(name, value);
        }
    }
}
