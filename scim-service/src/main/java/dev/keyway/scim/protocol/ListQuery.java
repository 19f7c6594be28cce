package dev.keyway.scim.protocol;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.scim2.common.filters.Filter;

import dev.keyway.scim.protocol.filter.Filters;
import dev.keyway.scim.protocol.schema.ResourceType;

/**
 * A list or search request (RFC 7644 §3.4.2, §3.4.3): filter, 1-based paging with a stable order, sorting and the
 * attributes to return. Built from query parameters or from a {@code .search} body. With {@code cursor} (RFC 9865)
 * pages are ordered by id and {@code after} is where the page starts (null: the first page).
 */
public record ListQuery(Filter filter, int startIndex, int count, String sortBy, boolean descending,
        Projection projection, boolean cursorPaging, UUID after) {

    /** Largest page served, whatever the client asks (announced as filter.maxResults). */
    public static final int MAX_RESULTS = 1000;
    /** Page size when the client names none. */
    public static final int DEFAULT_COUNT = 100;

    public static ListQuery of(ResourceType type, String filter, String startIndex, String count, String sortBy,
            String sortOrder, String attributes, String excludedAttributes) {
        return of(type, filter, startIndex, count, sortBy, sortOrder, attributes, excludedAttributes, null);
    }

    /** @param cursor null for index paging; empty for the first page of a cursor listing */
    public static ListQuery of(ResourceType type, String filter, String startIndex, String count, String sortBy,
            String sortOrder, String attributes, String excludedAttributes, String cursor) {
        if (cursor != null && startIndex != null) {
            throw ScimException.invalidValue("startIndex and cursor cannot be used together.");
        }
        if (cursor != null && sortBy != null && !sortBy.isBlank()) {
            throw ScimException.invalidValue("A cursor listing is ordered by id: sortBy cannot be used with cursor.");
        }
        UUID after = cursor == null ? null : Cursors.decode(cursor.trim());
        int start = Math.max(1, integer("startIndex", startIndex, 1));
        int size = Math.min(MAX_RESULTS, Math.max(0, integer("count", count, DEFAULT_COUNT)));
        boolean descending = sortOrder != null && sortOrder.equalsIgnoreCase("descending");
        if (sortOrder != null && !descending && !sortOrder.equalsIgnoreCase("ascending")) {
            throw ScimException.invalidValue("sortOrder must be 'ascending' or 'descending'.");
        }
        return new ListQuery(filter == null || filter.isBlank() ? null : Filters.parse(filter), start, size,
                sortBy == null || sortBy.isBlank() ? null : sortBy, descending,
                Projection.of(type, attributes, excludedAttributes), cursor != null, after);
    }

    /** The body of {@code POST /Users/.search} (RFC 7644 §3.4.3). */
    public static ListQuery ofSearch(ResourceType type, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ScimException.invalidSyntax("The search request must be a JSON object.");
        }
        return of(type, text(body, "filter"), text(body, "startIndex"), text(body, "count"), text(body, "sortBy"),
                text(body, "sortOrder"), list(body, "attributes"), list(body, "excludedAttributes"),
                text(body, "cursor"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw ScimException.invalidValue("'" + field + "' must be a single value.");
        }
        return value.asText();
    }

    private static String list(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isArray()) {
            StringBuilder joined = new StringBuilder();
            value.forEach(item -> joined.append(joined.isEmpty() ? "" : ",").append(item.asText()));
            return joined.toString();
        }
        return value.asText();
    }

    private static int integer(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ScimException.invalidValue(name + " must be an integer.");
        }
    }
}
