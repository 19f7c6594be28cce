package dev.keyway.sso.saml;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Assertion ids already used, in PostgreSQL so every replica sees them, kept until the assertion would have expired
 * anyway (after that, its own conditions refuse it).
 */
@ApplicationScoped
public class ReplayCache {

    private static final String USE = """
            insert into saml_replay (org_id, assertion_id, expires_at) values ($1, $2, $3) on conflict do nothing""";
    private static final String FORGET_EXPIRED = "delete from saml_replay where expires_at < now()";

    private final Pool pool;

    public ReplayCache(Pool pool) {
        this.pool = pool;
    }

    /** Records the assertion as used; false if it was used before. */
    public Uni<Boolean> firstUse(SqlConnection transaction, UUID orgId, String assertionId, Instant keepUntil) {
        return transaction.preparedQuery(USE).execute(Tuple.of(orgId, assertionId, keepUntil.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    @Scheduled(identity = "saml-replay-cleanup", every = "10m", delayed = "1m")
    Uni<Void> forgetExpired() {
        return pool.preparedQuery(FORGET_EXPIRED).execute().replaceWithVoid();
    }
}
