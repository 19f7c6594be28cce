package dev.keyway.portal.session;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Forgets what no longer opens anything: ended sessions at once, and links a week after they expired (kept that long
 * so an operator's listing still shows why a link stopped working). Idempotent, so every replica may run it.
 */
@ApplicationScoped
public class Housekeeping {

    private static final String ENDED_SESSIONS = "delete from portal_session where expires_at < now()";
    private static final String OLD_LINKS = "delete from setup_link where expires_at < now() - interval '7 days'";

    private final Pool pool;

    public Housekeeping(Pool pool) {
        this.pool = pool;
    }

    @Scheduled(identity = "portal-housekeeping", every = "1h", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forget() {
        return pool.query(ENDED_SESSIONS).execute().chain(() -> pool.query(OLD_LINKS).execute()).replaceWithVoid();
    }
}
