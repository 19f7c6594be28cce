package dev.keyway.scim.setevents;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes SETs older than {@code keyway.events.retention} (and with them any delivery still waiting for them: a
 * receiver paused for longer than the retention loses those events, and rebuilds from a cursor listing).
 */
@ApplicationScoped
public class LogRetention {

    private static final Logger LOG = Logger.getLogger(LogRetention.class);
    private static final String EXPIRE = """
            delete from set_event where id in (
                select id from set_event where occurred_at < now() - make_interval(secs => $1) order by id limit 5000)""";

    private final Pool pool;
    private final SecurityEventsConfig config;

    public LogRetention(Pool pool, SecurityEventsConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expire() {
        return expireBatch(0).invoke(deleted -> {
            if (deleted > 0) {
                LOG.infof("Deleted %d SETs older than %s from the event log", deleted, config.retention());
            }
        }).replaceWithVoid();
    }

    private Uni<Integer> expireBatch(int sofar) {
        return pool.preparedQuery(EXPIRE).execute(Tuple.of((double) config.retention().toSeconds()))
                .chain(rows -> rows.rowCount() < 5000 ? Uni.createFrom().item(sofar + rows.rowCount())
                        : expireBatch(sofar + rows.rowCount()));
    }
}
