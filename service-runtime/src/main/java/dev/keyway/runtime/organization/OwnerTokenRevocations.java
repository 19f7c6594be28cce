package dev.keyway.runtime.organization;

import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.tenant.OrgId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Owner-token revocations as this service's organization projection knows them from {@code keyway.orgs.v1}: all
 * tokens of an organization issued before a moment, and single tokens by id. No call to sso-service per request.
 */
@ApplicationScoped
public class OwnerTokenRevocations {

    private static final String REVOKED = """
            select exists (select 1 from known_organization where id = $1
                and (owner_tokens_not_before > $2 or $3 = any (revoked_owner_tokens)))""";

    private final Pool pool;

    public OwnerTokenRevocations(Pool pool) {
        this.pool = pool;
    }

    /**
     * @param issuedAt the token's {@code iat}
     * @param tokenId the token's {@code jti}, or null if it has none
     */
    public Uni<Boolean> isRevoked(OrgId org, Instant issuedAt, String tokenId) {
        return pool.preparedQuery(REVOKED)
                .execute(Tuple.of(org.value(), issuedAt.atOffset(ZoneOffset.UTC), tokenId))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }
}
