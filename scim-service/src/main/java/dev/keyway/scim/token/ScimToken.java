package dev.keyway.scim.token;

import java.time.Instant;
import java.util.UUID;

/**
 * A SCIM bearer token of one organization (a row of {@code scim_token}), known only by its hash.
 *
 * @param hint the last four characters, so an admin can tell tokens apart
 */
public record ScimToken(UUID id, UUID orgId, byte[] tokenHash, String hint, Instant createdAt, Instant lastUsedAt,
        Instant revokedAt) {
}
