package dev.keyway.sso.organization;

import java.time.Instant;
import java.util.UUID;

/**
 * An owner token sso-service issued (a row of {@code owner_token}): enough to revoke it by id and to announce that
 * only while it lives.
 *
 * @param revokedAt when it was revoked one by one; null while it was not
 */
public record IssuedOwnerToken(UUID jti, UUID orgId, Instant issuedAt, Instant expiresAt, Instant revokedAt) {
}
