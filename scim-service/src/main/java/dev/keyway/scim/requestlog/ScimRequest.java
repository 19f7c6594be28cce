package dev.keyway.scim.requestlog;

import java.time.Instant;
import java.util.UUID;

/**
 * One SCIM request as logged: when, what, the answer's status and, for a refusal, the SCIM error's {@code scimType}
 * and {@code detail}; the user when the path or the answer names one, and the token that was used.
 */
public record ScimRequest(UUID orgId, Instant at, String method, String path, int status, String scimType,
        String detail, String userId, String userName, UUID tokenId) {

    /** The record, its ids and instant, with the headers of its strings: what an entry costs beyond its text. */
    private static final int FIXED_BYTES = 256;

    /** About what this entry holds in memory: its text at two bytes a character (an upper bound) plus the rest. */
    long approximateBytes() {
        return FIXED_BYTES + 2L * (length(method) + length(path) + length(scimType) + length(detail)
                + length(userId) + length(userName));
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }
}
