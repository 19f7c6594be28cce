package dev.keyway.scim.protocol.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keyway.scim.protocol.ScimException;

/**
 * One operation of a PATCH request (RFC 7644 §3.5.2). Op names are read without regard to case ({@code Add},
 * {@code Replace}, {@code Remove} from Entra), and {@code Operations} likewise.
 */
public record PatchOp(Kind op, String path, JsonNode value) {

    public static final String SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    /** Requests with more operations are refused (announced in ServiceProviderConfig as the bulk-like limit). */
    public static final int MAX_OPERATIONS = 1000;

    public enum Kind {
        ADD,
        REPLACE,
        REMOVE
    }

    public boolean hasPath() {
        return path != null && !path.isBlank();
    }

    public static List<PatchOp> parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ScimException.invalidSyntax("The PATCH body must be a JSON object with 'Operations'.");
        }
        JsonNode operations = field(body, "Operations");
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw ScimException.invalidSyntax("'Operations' must be a non-empty array.");
        }
        if (operations.size() > MAX_OPERATIONS) {
            throw ScimException.tooMany("At most " + MAX_OPERATIONS + " operations per PATCH.");
        }
        List<PatchOp> parsed = new ArrayList<>(operations.size());
        for (JsonNode operation : operations) {
            JsonNode op = field(operation, "op");
            JsonNode path = field(operation, "path");
            if (op == null || !op.isTextual()) {
                throw ScimException.invalidSyntax("Each operation needs an 'op'.");
            }
            Kind kind = switch (op.asText().toLowerCase(Locale.ROOT)) {
                case "add" -> Kind.ADD;
                case "replace" -> Kind.REPLACE;
                case "remove" -> Kind.REMOVE;
                default -> throw ScimException.invalidSyntax("'op' must be add, replace or remove, not '" + op.asText()
                        + "'.");
            };
            if (path != null && !path.isNull() && !path.isTextual()) {
                throw ScimException.invalidPath("'path' must be a string.");
            }
            JsonNode value = field(operation, "value");
            if (kind != Kind.REMOVE && (value == null || value.isMissingNode())) {
                throw ScimException.invalidSyntax("'" + op.asText() + "' needs a 'value'.");
            }
            parsed.add(new PatchOp(kind, path == null || path.isNull() ? null : path.asText(), value));
        }
        return parsed;
    }

    private static JsonNode field(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue();
            }
        }
        return null;
    }
}
