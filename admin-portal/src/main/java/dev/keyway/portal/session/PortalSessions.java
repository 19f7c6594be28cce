package dev.keyway.portal.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import dev.keyway.portal.PortalConfig;
import dev.keyway.portal.backend.OwnerTokens;
import dev.keyway.portal.link.Scope;
import dev.keyway.portal.page.PageException;
import io.smallrye.mutiny.Uni;

/**
 * The browser sessions setup links open. The cookie ({@value #COOKIE}) holds a random id and nothing else: HttpOnly
 * (no script reads it), Secure, SameSite=Strict (no other site's page sends it). Its {@code __Host-} prefix makes the
 * browser accept it only Secure, for path / and without a Domain, so no other host (a sibling subdomain) can set or
 * shadow it.
 */
@ApplicationScoped
public class PortalSessions {

    public static final String COOKIE = "__Host-keyway_portal";

    private final PortalSessionRepository sessions;
    private final OwnerTokens ownerTokens;
    private final PortalConfig config;

    public PortalSessions(PortalSessionRepository sessions, OwnerTokens ownerTokens, PortalConfig config) {
        this.sessions = sessions;
        this.ownerTokens = ownerTokens;
        this.config = config;
    }

    /**
     * The live session of this cookie, for pages of organization {@code slug} within {@code scope}.
     *
     * @throws PageException signed out (no, an unknown or an ended session), another organization's page, or a page
     *                       the link did not grant
     */
    public Uni<PortalSession> require(String cookie, String slug, Scope scope) {
        return current(cookie).map(session -> {
            if (!session.slug().equals(slug)) {
                throw PageException.otherOrganization();
            }
            if (scope != null && !session.allows(scope)) {
                throw PageException.notGranted();
            }
            return session;
        });
    }

    /** The live session of this cookie; a signed-out page otherwise. */
    public Uni<PortalSession> current(String cookie) {
        if (!Secrets.wellFormed(cookie)) {
            return Uni.createFrom().failure(PageException.signedOut());
        }
        return sessions.live(Secrets.sha256(cookie))
                .map(found -> found.orElseThrow(PageException::signedOut));
    }

    /** Signs out: the session ends here and its owner tokens are revoked. */
    public Uni<Void> end(PortalSession session) {
        return sessions.end(session.idHash())
                .chain(jtis -> ownerTokens.revoke(session.slug(), session.idHash(), jtis));
    }

    public NewCookie cookie(String sessionId) {
        return new NewCookie.Builder(COOKIE).value(sessionId).path("/").httpOnly(true).secure(true)
                .sameSite(NewCookie.SameSite.STRICT).maxAge((int) config.sessionLifetime().toSeconds()).build();
    }

    public NewCookie expired() {
        return new NewCookie.Builder(COOKIE).value("").path("/").httpOnly(true).secure(true)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
    }
}
