package dev.keyway.imports.integration;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.keyway.imports.jumpcloud.DataCenter;

/**
 * What an admin sends to create an integration ({@code POST}) or change one ({@code PATCH}: absent fields stay as
 * they are; an empty {@code jumpcloudOrgId} removes it).
 *
 * @param apiKey   a JumpCloud administrator's API key; stored sealed, never shown again
 * @param groups   the JumpCloud user groups to import and the Keyway group each lands in
 * @param interval ISO-8601, e.g. {@code PT1H}
 */
public record IntegrationRequest(
        @Size(max = Integrations.MAX_NAME, message = "at most {max} characters") String name,
        String apiKey,
        String jumpcloudOrgId,
        @Pattern(regexp = DataCenter.CODES, message = "must be \"us\" or \"eu\"") String dataCenter,
        @Size(min = 1,
                message = "must name at least one JumpCloud user group to import") List<@NotNull(
                        message = "a JumpCloud user group is required") @Valid GroupChoice> groups,
        @ImportInterval Duration interval,
        Boolean enabled) {

    /** @param targetGroup the Keyway group's display name; the JumpCloud group's name when absent */
    public record GroupChoice(
            @NotBlank(message = "required") String jumpcloudGroupId,
            @Size(max = Integrations.MAX_NAME, message = "at most {max} characters") String targetGroup) {
    }
}
