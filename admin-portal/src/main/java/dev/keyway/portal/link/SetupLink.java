package dev.keyway.portal.link;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A setup link as stored: never its secret, only the secret's hash. */
public record SetupLink(UUID id, UUID orgId, String orgSlug, List<String> scopes, Instant createdAt,
        Instant expiresAt, Instant usedAt, Instant revokedAt) {

    /** Why a link no longer opens, or null while it does. */
    public Unusable unusable(Instant now) {
        if (revokedAt != null) {
            return Unusable.REVOKED;
        }
        if (usedAt != null) {
            return Unusable.USED;
        }
        if (!expiresAt.isAfter(now)) {
            return Unusable.EXPIRED;
        }
        return null;
    }

    public enum Unusable {

        UNKNOWN("This setup link is not valid", "Check that you copied the whole link, or ask for a new one."),
        EXPIRED("This setup link has expired", "Setup links work for a limited time. Ask for a new one."),
        USED("This setup link has already been used",
                "A setup link opens one browser session. Ask for a new link to continue in another browser."),
        REVOKED("This setup link was revoked", "Ask for a new one.");

        private final String title;
        private final String advice;

        Unusable(String title, String advice) {
            this.title = title;
            this.advice = advice;
        }

        public String title() {
            return title;
        }

        public String advice() {
            return advice;
        }
    }
}
