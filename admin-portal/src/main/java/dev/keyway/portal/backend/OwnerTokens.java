package dev.keyway.portal.backend;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import dev.keyway.portal.session.PortalSession;
import dev.keyway.portal.session.PortalSessionRepository;
import io.smallrye.mutiny.Uni;

/**
 * The owner tokens the portal calls the services with, one per browser session: asked of sso-service with the operator
 * token when first needed and again shortly before it expires, kept in this replica's memory only (never in a page,
 * a cookie or the database). Their ids are noted on the session so that ending it, or revoking its link, revokes them.
 */
@ApplicationScoped
public class OwnerTokens {

    private static final Logger LOG = Logger.getLogger(OwnerTokens.class);

    /** A token this close to its expiry is replaced: a page's calls must not outlive it. */
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

    private record Held(String token, String jti, Instant expiresAt) {
    }

    private final SsoAdmin sso;
    private final PortalSessionRepository sessions;
    private final Optional<String> operatorToken;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    public OwnerTokens(@RestClient SsoAdmin sso, PortalSessionRepository sessions,
            @ConfigProperty(name = "keyway.operator-token") Optional<String> operatorToken) {
        this.sso = sso;
        this.sessions = sessions;
        this.operatorToken = operatorToken.filter(token -> !token.isBlank());
    }

    /** "Bearer …" for the services' admin APIs, as the owner of the session's organization. */
    public Uni<String> bearerFor(PortalSession session) {
        Held current = held.get(session.idHash());
        if (current != null && current.expiresAt().isAfter(Instant.now().plus(RENEW_BEFORE))) {
            return Uni.createFrom().item("Bearer " + current.token());
        }
        return sso.issueOwnerToken(operator(), session.slug()).chain(issued -> {
            Held minted = new Held(issued.path("token").asText(), issued.path("jti").asText(),
                    Instant.parse(issued.path("expiresAt").asText()));
            held.put(session.idHash(), minted);
            return sessions.addOwnerToken(session.idHash(), minted.jti()).replaceWith("Bearer " + minted.token());
        });
    }

    /** Revokes the owner tokens a session held, at sso-service (every service learns it from the registry). */
    public Uni<Void> revoke(String slug, String sessionIdHash, List<String> jtis) {
        if (sessionIdHash != null) {
            held.remove(sessionIdHash);
        }
        if (jtis.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(jtis.stream().map(jti -> sso.revokeOwnerToken(operator(), slug, jti)
                .onFailure().invoke(failure -> LOG.warnf("Owner token %s of %s not revoked: %s", jti, slug,
                        failure.getMessage()))
                .onFailure().recoverWithNull()).toList())
                .andCollectFailures().replaceWithVoid();
    }

    /** Drops what this replica holds for sessions a revocation ended elsewhere (their tokens are revoked). */
    public void forget(String sessionIdHash) {
        held.remove(sessionIdHash);
    }

    private String operator() {
        return "Bearer " + operatorToken.orElseThrow(() -> new IllegalStateException(
                "keyway.operator-token is not configured: the portal cannot act as an organization's owner"));
    }

}
