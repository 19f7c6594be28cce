package dev.keyway.portal.link;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.portal.PortalConfig;
import dev.keyway.portal.backend.OwnerTokens;
import dev.keyway.portal.session.PortalSessionRepository;
import dev.keyway.portal.session.Secrets;
import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.runtime.problem.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Setup links: made by the operator for one organization of this region, opened once by a browser (the link becomes a
 * session), revocable. Only the hash of a link's secret and of a session's id is stored.
 */
@ApplicationScoped
public class SetupLinks {

    /** A new link: its secret appears here and nowhere else. */
    public record Issued(SetupLink link, String secret) {
    }

    /** An exchanged link: the session cookie's value, and the organization it opens. */
    public record Opened(String sessionId, String slug) {
    }

    /** A link that does not open, and why. */
    public static final class NotUsable extends RuntimeException {

        private final SetupLink.Unusable reason;

        public NotUsable(SetupLink.Unusable reason) {
            super(reason.title(), null, false, false);
            this.reason = reason;
        }

        public SetupLink.Unusable reason() {
            return reason;
        }
    }

    private final Pool pool;
    private final SetupLinkRepository links;
    private final PortalSessionRepository sessions;
    private final KnownOrganizations organizations;
    private final OwnerTokens ownerTokens;
    private final PortalConfig config;

    public SetupLinks(Pool pool, SetupLinkRepository links, PortalSessionRepository sessions,
            KnownOrganizations organizations, OwnerTokens ownerTokens, PortalConfig config) {
        this.pool = pool;
        this.links = links;
        this.sessions = sessions;
        this.organizations = organizations;
        this.ownerTokens = ownerTokens;
        this.config = config;
    }

    /**
     * @param scopes    what the link may configure (codes of {@link Scope}); all when empty
     * @param expiresIn how long it lives; {@code keyway.portal.link-lifetime} when null
     * @throws ApiException 400 for an unknown scope or a lifetime out of range, 404/421 for an organization not homed
     *                      here
     */
    public Uni<Issued> create(String slug, List<String> scopes, Duration expiresIn) {
        Set<String> granted = new LinkedHashSet<>();
        if (scopes == null || scopes.isEmpty()) {
            for (Scope scope : Scope.values()) {
                granted.add(scope.code());
            }
        } else {
            for (String code : scopes) {
                granted.add(Scope.of(code).orElseThrow(() -> ApiException.badRequest(
                        "scopes: '" + code + "' is not one of sso, scim, imports, domains, logs.")).code());
            }
        }
        Duration lifetime = expiresIn == null ? config.linkLifetime() : expiresIn;
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(config.maxLinkLifetime()) > 0) {
            throw ApiException.badRequest("expiresIn: between PT1M and " + config.maxLinkLifetime() + ".");
        }
        String secret = Secrets.random();
        return organizations.homedHere(slug).chain(org -> links.insert(UUID.randomUUID(), org.id(), org.slug(),
                Secrets.sha256(secret), List.copyOf(granted), Instant.now().plus(lifetime)))
                .map(link -> new Issued(link, secret));
    }

    /** The link of this secret, if it still opens; nothing is changed. */
    public Uni<SetupLink> peek(String secret) {
        if (!Secrets.wellFormed(secret)) {
            return Uni.createFrom().failure(new NotUsable(SetupLink.Unusable.UNKNOWN));
        }
        return links.byHash(Secrets.sha256(secret)).map(found -> {
            SetupLink link = found.orElseThrow(() -> new NotUsable(SetupLink.Unusable.UNKNOWN));
            SetupLink.Unusable unusable = link.unusable(Instant.now());
            if (unusable != null) {
                throw new NotUsable(unusable);
            }
            return link;
        });
    }

    /** Exchanges a link's secret for a new session, once: the link is used up in the same transaction. */
    public Uni<Opened> open(String secret) {
        if (!Secrets.wellFormed(secret)) {
            return Uni.createFrom().failure(new NotUsable(SetupLink.Unusable.UNKNOWN));
        }
        String sessionId = Secrets.random();
        return pool.withTransaction(transaction -> links.lockByHash(transaction, Secrets.sha256(secret))
                .chain(found -> {
                    SetupLink link = found.orElseThrow(() -> new NotUsable(SetupLink.Unusable.UNKNOWN));
                    SetupLink.Unusable unusable = link.unusable(Instant.now());
                    if (unusable != null) {
                        throw new NotUsable(unusable);
                    }
                    Instant sessionEnds = Instant.now().plus(config.sessionLifetime());
                    return links.markUsed(transaction, link.id())
                            .chain(() -> sessions.insert(transaction, Secrets.sha256(sessionId), link.id(),
                                    link.orgId(), link.orgSlug(), link.scopes(), sessionEnds))
                            .replaceWith(new Opened(sessionId, link.orgSlug()));
                }));
    }

    /** Revokes a link: it no longer opens, the sessions it opened end, and their owner tokens are revoked. */
    public Uni<SetupLink> revoke(UUID id) {
        return pool.withTransaction(transaction -> links.revoke(transaction, id).chain(found -> {
            SetupLink link = found.orElseThrow(() -> ApiException.notFound("No setup link " + id + "."));
            return sessions.endOfLink(transaction, id).map(jtis -> new Revoked(link, jtis));
        })).call(revoked -> ownerTokens.revoke(revoked.link().orgSlug(), null, revoked.ownerTokens()))
                .map(Revoked::link);
    }

    private record Revoked(SetupLink link, List<String> ownerTokens) {
    }

    public Uni<List<SetupLink>> ofOrganization(String slug) {
        return organizations.homedHere(slug).chain(org -> links.ofOrganization(org.slug()));
    }
}
