package dev.keyway.sso.saml;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Assertion ids already used, in PostgreSQL so every replica sees them, kept until the assertion would have expired
 * anyway (after that, its own conditions refuse it). The ACS records them in its one statement after validation
 * ({@link SignInRepository}); this forgets the expired ones.
 */
@ApplicationScoped
public class ReplayCache {

    private static final String FORGET_EXPIRED = "delete from saml_replay where expires_at < now()";

    private final Pool pool;

    public ReplayCache(Pool pool) {
        this.pool = pool;
    }

    @Scheduled(identity = "saml-replay-cleanup", every = "10m", delayed = "1m")
    Uni<Void> forgetExpired() {
        return pool.preparedQuery(FORGET_EXPIRED).execute().replaceWithVoid();
    }
}
