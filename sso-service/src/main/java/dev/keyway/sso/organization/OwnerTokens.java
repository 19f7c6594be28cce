package dev.keyway.sso.organization;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.Claims;

import dev.keyway.common.auth.KeywayClaims;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.OrganizationState;
import dev.keyway.runtime.outbox.Outbox;
import dev.keyway.runtime.problem.ApiException;
import dev.keyway.sso.signing.SigningKeys;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

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

    private final Pool pool;
    private final OrganizationRepository organizations;
    private final OwnerTokenRepository tokens;
    private final SigningKeys keys;
    private final Outbox outbox;
    private final String issuer;
    private final Duration lifetime;

    public OwnerTokens(Pool pool, OrganizationRepository organizations, OwnerTokenRepository tokens, SigningKeys keys,
            Outbox outbox, @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
            @ConfigProperty(name = "keyway.owner-token.lifetime") Duration lifetime) {
        this.pool = pool;
        this.organizations = organizations;
        this.tokens = tokens;
        this.keys = keys;
        this.outbox = outbox;
        this.issuer = issuer;
        this.lifetime = lifetime;
    }

    public Uni<OwnerToken> issue(OrganizationState org) {
        Instant issuedAt = issuedAt(org);
        IssuedOwnerToken issued = new IssuedOwnerToken(UUID.randomUUID(), org.id().value(), issuedAt,
                issuedAt.plus(lifetime), null);
        return keys.signer().chain(key -> {
            String token = Jwt.issuer(issuer)
                    .audience(KeywayClaims.ADMIN_AUDIENCE)
                    .subject("owner:" + org.slug().value())
                    .issuedAt(issued.issuedAt())
                    .expiresAt(issued.expiresAt())
                    .claim(Claims.jti.name(), issued.jti().toString())
                    .claim(KeywayClaims.ORG_ID, org.id().toString())
                    .claim(KeywayClaims.ORG_SLUG, org.slug().value())
                    .claim(KeywayClaims.REGION, org.region().code())
                    .groups(Set.of(KeywayClaims.OWNER))
                    .jws().keyId(key.kid())
                    .sign(key.privateKey());
            return tokens.insert(pool, issued)
                    .replaceWith(new OwnerToken(issued.jti().toString(), token, issued.expiresAt()));
        });
    }

    /** Revokes one owner token of the organization; revoking it again changes nothing. */
    public Uni<Void> revoke(String slug, String jti) {
        UUID id = parseTokenId(jti).orElseThrow(OwnerTokens::noSuchToken);
        return pool.withTransaction(transaction -> lockedBySlug(transaction, slug).chain(org -> tokens
                .lock(transaction, org.id().value(), id)
                .map(found -> found.orElseThrow(OwnerTokens::noSuchToken))
                .chain(token -> token.revokedAt() != null ? Uni.createFrom().voidItem()
                        : tokens.revoke(transaction, id, Instant.now())
                                .chain(() -> announce(transaction, org, org.ownerTokensNotBefore())))));
    }

    /** Revokes every owner token of the organization issued until now; tokens issued later work. */
    public Uni<Instant> revokeAll(String slug) {
        return pool.withTransaction(transaction -> lockedBySlug(transaction, slug).chain(org -> {
            // iat has whole seconds: round up, so no token issued before now can have an iat at or after it
            Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
            return announce(transaction, org, notBefore).replaceWith(notBefore);
        }));
    }

    /**
     * A token's iat: now, or the not-before instant if it is still ahead (a token issued within the second of a
     * revoke-all must not fall under it).
     */
    private static Instant issuedAt(OrganizationState org) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant notBefore = org.ownerTokensNotBefore();
        return notBefore != null && now.isBefore(notBefore) ? notBefore : now;
    }

    /**
     * Stores the organization's revocations (all tokens before {@code notBefore}, and those revoked one by one that
     * still live) and announces its state, in the caller's transaction.
     */
    private Uni<Void> announce(SqlConnection transaction, OrganizationState org, Instant notBefore) {
        return tokens.stillRevoked(transaction, org.id().value(), Instant.now().minus(CLOCK_SKEW), notBefore)
                .chain(revoked -> {
                    OrganizationState state = new OrganizationState(org.id(), org.slug(), org.displayName(),
                            org.region(), org.createdAt(), notBefore, revoked);
                    return organizations.updateRevocations(transaction, state)
                            .chain(() -> outbox.append(transaction, EventType.ORGANIZATION_UPSERTED, state.id(),
                                    state.region(), state.id().toString(), state))
                            .replaceWithVoid();
                });
    }

    /** The organization, locked so concurrent revocations each announce a state that includes the other. */
    private Uni<OrganizationState> lockedBySlug(SqlConnection transaction, String slug) {
        return organizations.lockBySlug(transaction, slug)
                .map(found -> found.orElseThrow(() -> OrganizationService.notFound(slug)));
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
