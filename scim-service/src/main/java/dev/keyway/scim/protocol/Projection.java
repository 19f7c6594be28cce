package dev.keyway.scim.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;

import dev.keyway.scim.protocol.schema.Attribute;
import dev.keyway.scim.protocol.schema.ResourceType;
import dev.keyway.scim.protocol.schema.ResourceType.Resolved;
import dev.keyway.scim.protocol.schema.ScimSchemas;

/**
 * The {@code attributes} and {@code excludedAttributes} parameters (RFC 7644 §3.4.2.5), applied to a rendered
 * resource. {@code id} and {@code schemas} are always returned; unknown attributes are ignored.
 */
public final class Projection {

    private static final Projection ALL = new Projection(List.of(), List.of());

    private final List<Resolved> included;
    private final List<Resolved> excluded;

    private Projection(List<Resolved> included, List<Resolved> excluded) {
        this.included = included;
        this.excluded = excluded;
    }

    public static Projection all() {
        return ALL;
    }

    public static Projection of(ResourceType type, String attributes, String excludedAttributes) {
        List<Resolved> included = resolve(type, attributes);
        return new Projection(included, included.isEmpty() ? resolve(type, excludedAttributes) : List.of());
    }

    /** Whether a top-level attribute is returned at all, so an expensive one (group members) need not be loaded. */
    public boolean returns(String attribute) {
        if (!included.isEmpty()) {
            return included.stream().anyMatch(path -> path.attribute().name().equals(attribute));
        }
        return excluded.stream().noneMatch(path -> path.sub() == null && path.attribute().name().equals(attribute));
    }

    public ObjectNode apply(ResourceType type, ObjectNode resource) {
        if (included.isEmpty() && excluded.isEmpty()) {
            return resource;
        }
        if (!included.isEmpty()) {
            ObjectNode out = ScimJson.object();
            out.set("schemas", resource.get("schemas"));
            out.set("id", resource.get("id"));
            for (Resolved path : included) {
                copy(type, resource, out, path);
            }
            return out;
        }
        ObjectNode out = resource.deepCopy();
        for (Resolved path : excluded) {
            if (!path.attribute().name().equals("id")) {
                remove(type, out, path);
            }
        }
        return out;
    }

    private static void copy(ResourceType type, ObjectNode from, ObjectNode to, Resolved path) {
        ObjectNode source = container(type, from, path, false);
        if (source == null || !source.has(path.attribute().name())) {
            return;
        }
        ObjectNode target = container(type, to, path, true);
        JsonNode value = source.get(path.attribute().name());
        if (path.sub() == null) {
            target.set(path.attribute().name(), value);
        } else if (value.isArray()) {
            var values = target.withArray(path.attribute().name());
            for (int i = 0; i < value.size(); i++) {
                ObjectNode element = values.size() > i ? (ObjectNode) values.get(i) : values.addObject();
                Optional.ofNullable(value.get(i).get(path.sub().name()))
                        .ifPresent(sub -> element.set(path.sub().name(), sub));
            }
        } else if (value.has(path.sub().name())) {
            target.withObject("/" + path.attribute().name()).set(path.sub().name(), value.get(path.sub().name()));
        }
    }

    private static void remove(ResourceType type, ObjectNode resource, Resolved path) {
        ObjectNode container = container(type, resource, path, false);
        if (container == null) {
            return;
        }
        if (path.sub() == null) {
            container.remove(path.attribute().name());
            return;
        }
        JsonNode value = container.get(path.attribute().name());
        if (value != null && value.isArray()) {
            value.forEach(element -> ((ObjectNode) element).remove(path.sub().name()));
        } else if (value instanceof ObjectNode object) {
            object.remove(path.sub().name());
        }
    }

    /** The object holding the attribute: the resource itself, or its extension object. */
    private static ObjectNode container(ResourceType type, ObjectNode resource, Resolved path, boolean create) {
        if (!path.inExtension(type)) {
            return resource;
        }
        JsonNode extension = resource.get(path.schema().id());
        if (extension instanceof ObjectNode object) {
            return object;
        }
        return create ? resource.putObject(path.schema().id()) : null;
    }

    private static List<Resolved> resolve(ResourceType type, String list) {
        List<Resolved> resolved = new ArrayList<>();
        if (list == null || list.isBlank()) {
            return resolved;
        }
        for (String item : list.split(",")) {
            String text = item.trim();
            if (text.isEmpty()) {
                continue;
            }
            if (text.equalsIgnoreCase("meta") || text.equalsIgnoreCase("externalId")) {
                resolved.add(new Resolved(type.core(), common(text), null));
                continue;
            }
            try {
                Path path = Path.fromString(text);
                if (path.size() == 0) {
                    continue;
                }
                String sub = path.size() > 1 ? path.getElement(1).getAttribute() : null;
                type.resolve(path.getSchemaUrn(), path.getElement(0).getAttribute(), sub).ifPresent(resolved::add);
            } catch (BadRequestException e) {
                throw ScimException.invalidValue("'" + text + "' is not an attribute path.");
            }
        }
        return resolved;
    }

    private static Attribute common(String name) {
        return ScimSchemas.COMMON.stream()
                .filter(attribute -> attribute.name().equalsIgnoreCase(name)).findFirst().orElseThrow();
    }
}
