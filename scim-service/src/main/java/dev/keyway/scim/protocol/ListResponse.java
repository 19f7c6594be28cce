package dev.keyway.scim.protocol;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** RFC 7644 §3.4.2: a page of resources. */
public record ListResponse(
        List<String> schemas,
        long totalResults,
        int startIndex,
        int itemsPerPage,
        @JsonProperty("Resources") List<ObjectNode> resources) {

    public static final String SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    public static ListResponse of(long total, int startIndex, List<ObjectNode> resources) {
        return new ListResponse(List.of(SCHEMA), total, startIndex, resources.size(), resources);
    }
}
