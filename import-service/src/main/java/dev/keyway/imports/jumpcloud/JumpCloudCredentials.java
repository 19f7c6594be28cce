package dev.keyway.imports.jumpcloud;

import dev.keyway.runtime.problem.ApiException;

/**
 * What the client needs to read a customer's directory. The API key is a secret: {@link #toString()} shows only
 * its last four characters, so it cannot leak through a log line or an exception message.
 *
 * @param organizationId JumpCloud Organization ID, for Multi-Tenant Portal admins only (sent as {@code x-org-id})
 */
public record JumpCloudCredentials(DataCenter dataCenter, String apiKey, String organizationId) {

    public JumpCloudCredentials {
        organizationId = organizationId == null || organizationId.isBlank() ? null : organizationId.trim();
        // both travel as HTTP header values: a control character (CR, LF) would split the header or fail the client
        if (apiKey != null && apiKey.chars().anyMatch(Character::isISOControl)
                || organizationId != null && organizationId.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("The API key and Organization ID cannot contain control characters.");
        }
    }

    /** The last four characters of the key, the only part Keyway ever shows. */
    public String apiKeyHint() {
        return apiKey.length() <= 4 ? "…" : "…" + apiKey.substring(apiKey.length() - 4);
    }

    @Override
    public String toString() {
        return "JumpCloudCredentials[" + dataCenter.code() + ", key " + apiKeyHint()
                + (organizationId == null ? "" : ", org " + organizationId) + "]";
    }
}
