package dev.keyway.imports.jumpcloud;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One page of {@code GET /api/systemusers}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SystemUsersPage(List<SystemUser> results, Integer totalCount) {

    public SystemUsersPage {
        results = results == null ? List.of() : results;
    }
}
