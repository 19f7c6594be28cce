package dev.keyway.sso.domain;

import java.time.Instant;

/**
 * An e-mail domain an organization claims. It counts (home-realm discovery) only once verified: the organization
 * published {@link #challengeValue()} as a TXT record at {@link #challengeName()}.
 *
 * @param lastFailure why the last check did not verify it, or null
 */
public record EmailDomain(String domain, String token, Instant claimedAt, Instant verifiedAt, Instant lastCheckedAt,
        String lastFailure) {

    public static final String CHALLENGE_PREFIX = "_keyway-challenge.";
    public static final String VALUE_PREFIX = "keyway-domain-verification=";

    public boolean verified() {
        return verifiedAt != null;
    }

    /** Where the TXT record goes. */
    public String challengeName() {
        return CHALLENGE_PREFIX + domain;
    }

    /** What the TXT record holds. */
    public String challengeValue() {
        return VALUE_PREFIX + token;
    }
}
