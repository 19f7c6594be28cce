package dev.keyway.scim.token;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.runtime.problem.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Issues, lists and revokes SCIM tokens. Several may be valid at once, which is how tokens are rotated. */
@ApplicationScoped
public class ScimTokenService {

    /** A token as issued: the only moment its secret exists outside the client. */
    public record IssuedToken(UUID id, String token, String apiKey, Instant createdAt) {
    }

    private final Pool pool;
    private final ScimTokenRepository tokens;
    private final KnownOrganizations organizations;
    private final ScimTokenCache cache;

    public ScimTokenService(Pool pool, ScimTokenRepository tokens, KnownOrganizations organizations,
            ScimTokenCache cache) {
        this.pool = pool;
        this.tokens = tokens;
        this.organizations = organizations;
        this.cache = cache;
    }

    public Uni<IssuedToken> issue(String slug) {
        return organizations.homedHere(slug).chain(org -> {
            String secret = TokenCodec.newToken(org.homeRegion());
            ScimToken token = new ScimToken(UUID.randomUUID(), org.id(), TokenCodec.hash(secret),
                    TokenCodec.hint(secret), Instant.now().truncatedTo(ChronoUnit.MICROS), null, null);
            return pool.withTransaction(transaction -> tokens.insert(transaction, token)
                    .chain(() -> tokens.apiKey(transaction, org.id(), TokenCodec.newApiKey(org.homeRegion()))))
                    // the organization may have just got its API key, which every token of it now answers to
                    .invoke(cache::forget)
                    .map(apiKey -> new IssuedToken(token.id(), secret, apiKey, token.createdAt()));
        });
    }

    public Uni<List<ScimToken>> list(String slug) {
        return organizations.homedHere(slug).chain(org -> tokens.active(pool, org.id()));
    }

    /** The organization's API key, created on first use. */
    public Uni<String> apiKey(String slug) {
        return organizations.homedHere(slug).chain(org -> pool.withTransaction(
                transaction -> tokens.apiKey(transaction, org.id(), TokenCodec.newApiKey(org.homeRegion()))))
                .invoke(cache::forget);
    }

    public Uni<Void> revoke(String slug, UUID id) {
        return organizations.homedHere(slug).chain(org -> pool.withTransaction(
                transaction -> tokens.revoke(transaction, org.id(), id))).invoke(revoked -> {
                    // committed: this replica refuses the token from now on; the others when PostgreSQL tells them
                    cache.forget();
                    if (!revoked) {
                        throw ApiException.notFound("No active SCIM token " + id + ".");
                    }
                }).replaceWithVoid();
    }
}
