package dev.keyway.imports.integration;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.keyway.imports.jumpcloud.DataCenter;

/**
 * An organization's connection to its JumpCloud directory: whose credentials, which groups, how often. The API key
 * is only ever held sealed here; {@link Integrations#credentials} opens it for a pull.
 *
 * @param jumpcloudOrgId set for Multi-Tenant Portal admins only; sent as {@code x-org-id}
 * @param apiKeyHint     "…" and the key's last four characters, the only part ever shown
 */
public record Integration(
        UUID id,
        UUID orgId,
        String name,
        DataCenter dataCenter,
        String jumpcloudOrgId,
        String apiKeySealed,
        String apiKeyHint,
        Duration interval,
        boolean enabled,
        List<GroupMapping> groups,
        Instant createdAt,
        Instant updatedAt,
        Instant nextRunAt) {

    public Integration {
        groups = List.copyOf(groups);
    }

    /** The context a sealed key is bound to: a key copied onto another integration's row does not open. */
    static String sealingContext(UUID id, UUID orgId) {
        return "import-integration:" + orgId + ":" + id;
    }
}
