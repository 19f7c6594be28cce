package dev.keyway.scim.requestlog;

import java.time.Instant;
import java.util.UUID;

/**
 * One SCIM request as logged: when, what, the answer's status and, for a refusal, the SCIM error's {@code scimType}
 * and {@code detail}; the user when the path or the answer names one, and the token that was used.
 */
public record ScimRequest(UUID orgId, Instant at, String method, String path, int status, String scimType,
        String detail, String userId, String userName, UUID tokenId) {
}
