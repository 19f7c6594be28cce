package dev.keyway.imports.integration;

import java.time.Duration;
import java.util.List;

/**
 * What an admin sends to create an integration ({@code POST}) or change one ({@code PATCH}: absent fields stay as
 * they are; an empty {@code jumpcloudOrgId} removes it).
 *
 * @param apiKey   a JumpCloud administrator's API key; stored sealed, never shown again
 * @param groups   the JumpCloud user groups to import and the Keyway group each lands in
 * @param interval ISO-8601, e.g. {@code PT1H}
 */
public record IntegrationRequest(String name, String apiKey, String jumpcloudOrgId, String dataCenter,
        List<GroupChoice> groups, Duration interval, Boolean enabled) {

    /** @param targetGroup the Keyway group's display name; the JumpCloud group's name when absent */
    public record GroupChoice(String jumpcloudGroupId, String targetGroup) {
    }
}
