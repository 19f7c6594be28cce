package dev.keyway.imports.jumpcloud;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code GET /api/organizations}: for a Multi-Tenant Portal admin, the organizations they manage. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrganizationsPage(List<Organization> results, Integer totalCount) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Organization(String id, String displayName) {
    }

    public int count() {
        return totalCount != null ? totalCount : results == null ? 0 : results.size();
    }
}
