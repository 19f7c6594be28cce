package dev.keyway.scim.protocol;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** RFC 7644 §3.4.2: a page of resources; with RFC 9865 cursor paging, {@code nextCursor} instead of startIndex. */
public record ListResponse(
        List<String> schemas,
        long totalResults,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer startIndex,
        int itemsPerPage,
        @JsonInclude(JsonInclude.Include.NON_NULL) String nextCursor,
        @JsonProperty("Resources") List<ObjectNode> resources) {

    public static final String SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    public static ListResponse of(long total, int startIndex, List<ObjectNode> resources) {
        return new ListResponse(List.of(SCHEMA), total, startIndex, resources.size(), null, resources);
    }

    /** The page a list query asked for: index paging, or cursor paging with {@code next} where the next page starts. */
    public static ListResponse of(ListQuery query, long total, UUID next, List<ObjectNode> resources) {
        return query.cursorPaging() ? ofCursor(total, next == null ? null : Cursors.encode(next), resources)
                : of(total, query.startIndex(), resources);
    }

    /** A page of a cursor listing; {@code nextCursor} null on the last page. */
    public static ListResponse ofCursor(long total, String nextCursor, List<ObjectNode> resources) {
        return new ListResponse(List.of(SCHEMA), total, null, resources.size(), nextCursor, resources);
    }
}
