package dev.keyway.sso.organization;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.Claims;

import dev.keyway.common.auth.KeywayClaims;
import dev.keyway.common.event.EventType;
import dev.keyway.runtime.outbox.Outbox;
import dev.keyway.runtime.problem.ApiException;
import dev.keyway.sso.signing.SigningKeys;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Uni;

/**
 * Issues owner tokens (RS256 JWTs that open one organization's admin APIs on every service) and revokes them.
 * <p>
 * Every service verifies owner tokens on its own, so a revocation travels the way the organization does: in its
 * state on {@code keyway.orgs.v1}, which every service projects and checks each owner token against. Revoking all
 * tokens sets a not-before instant; revoking one adds its id ({@code jti}) to a list that keeps only tokens that could
 * still be presented.
 */
@ApplicationScoped
public class OwnerTokens {

    /** A freshly issued token, its id (for revoking it) and the moment it stops working. */
    public record OwnerToken(String jti, String token, Instant expiresAt) {
    }

    /** SmallRye JWT accepts a token this long past its expiry; a revocation is announced for as long. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final SigningKeys keys;
    private final Outbox outbox;
    private final String issuer;
    private final Duration lifetime;

    public OwnerTokens(SigningKeys keys, Outbox outbox, @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
            @ConfigProperty(name = "keyway.owner-token.lifetime") Duration lifetime) {
        this.keys = keys;
        this.outbox = outbox;
        this.issuer = issuer;
        this.lifetime = lifetime;
    }

    public Uni<OwnerToken> issue(Organization org) {
        IssuedOwnerToken issued = new IssuedOwnerToken();
        issued.jti = UUID.randomUUID();
        issued.orgId = org.id;
        issued.issuedAt = issuedAt(org);
        issued.expiresAt = issued.issuedAt.plus(lifetime);
        return keys.signer().chain(key -> {
            String token = Jwt.issuer(issuer)
                    .audience(KeywayClaims.ADMIN_AUDIENCE)
                    .subject("owner:" + org.slug)
                    .issuedAt(issued.issuedAt)
                    .expiresAt(issued.expiresAt)
                    .claim(Claims.jti.name(), issued.jti.toString())
                    .claim(KeywayClaims.ORG_ID, org.id.toString())
                    .claim(KeywayClaims.ORG_SLUG, org.slug)
                    .claim(KeywayClaims.REGION, org.region)
                    .groups(Set.of(KeywayClaims.OWNER))
                    .jws().keyId(key.kid())
                    .sign(key.privateKey());
            return Panache.withTransaction(issued::persist)
                    .replaceWith(new OwnerToken(issued.jti.toString(), token, issued.expiresAt));
        });
    }

    /** Revokes one owner token of the organization; revoking it again changes nothing. */
    public Uni<Void> revoke(String slug, String jti) {
        UUID id = parseTokenId(jti).orElseThrow(OwnerTokens::noSuchToken);
        return Panache.withTransaction(() -> lockedBySlug(slug).chain(org -> IssuedOwnerToken
                .<IssuedOwnerToken>find("jti = ?1 and orgId = ?2", id, org.id).firstResult()
                .onItem().ifNull().failWith(OwnerTokens::noSuchToken)
                .chain(token -> {
                    if (token.revokedAt != null) {
                        return Uni.createFrom().voidItem();
                    }
                    token.revokedAt = Instant.now();
                    return Panache.flush().chain(() -> announce(org));
                })));
    }

    /** Revokes every owner token of the organization issued until now; tokens issued later work. */
    public Uni<Instant> revokeAll(String slug) {
        return Panache.withTransaction(() -> lockedBySlug(slug).chain(org -> {
            // iat has whole seconds: round up, so no token issued before now can have an iat at or after it
            org.ownerTokensNotBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
            return announce(org).replaceWith(org.ownerTokensNotBefore);
        }));
    }

    /**
     * A token's iat: now, or the not-before instant if it is still ahead (a token issued within the second of a
     * revoke-all must not fall under it).
     */
    private static Instant issuedAt(Organization org) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return org.ownerTokensNotBefore != null && now.isBefore(org.ownerTokensNotBefore) ? org.ownerTokensNotBefore
                : now;
    }

    /** Records the organization's revocations in its state and announces it, in the caller's transaction. */
    private Uni<Void> announce(Organization org) {
        Instant now = Instant.now();
        return IssuedOwnerToken.<IssuedOwnerToken>list("orgId = ?1 and revokedAt is not null and expiresAt > ?2",
                org.id, now.minus(CLOCK_SKEW)).chain(revoked -> {
                    org.revokedOwnerTokens = revoked.stream()
                            .filter(token -> org.ownerTokensNotBefore == null
                                    || !token.issuedAt.isBefore(org.ownerTokensNotBefore))
                            .sorted(Comparator.comparing(token -> token.issuedAt))
                            .map(token -> token.jti.toString())
                            .toArray(String[]::new);
                    org.updatedAt = now;
                    return outbox.append(EventType.ORGANIZATION_UPSERTED, org.orgId(), org.homeRegion(),
                            org.id.toString(), org.state()).replaceWithVoid();
                });
    }

    /** The organization, locked so concurrent revocations each announce a state that includes the other. */
    private static Uni<Organization> lockedBySlug(String slug) {
        return Organization.<Organization>find("slug", slug).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                .onItem().ifNull().failWith(() -> ApiException.notFound("No organization '" + slug + "'."));
    }

    private static Optional<UUID> parseTokenId(String jti) {
        try {
            return Optional.of(UUID.fromString(jti));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ApiException noSuchToken() {
        return ApiException.notFound("This organization has no owner token with that id.");
    }
}
