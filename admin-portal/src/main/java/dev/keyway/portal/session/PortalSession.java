package dev.keyway.portal.session;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.keyway.portal.link.Scope;

/**
 * A browser's session in the portal, opened by a setup link: one organization, the scopes the link granted.
 *
 * @param idHash the SHA-256 of the cookie's value, hex; the value itself is never stored
 */
public record PortalSession(String idHash, UUID linkId, UUID orgId, String slug, List<String> scopes,
        Instant expiresAt) {

    public boolean allows(Scope scope) {
        return scopes.contains(scope.code());
    }
}
