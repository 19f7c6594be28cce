package dev.keyway.testsupport;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Connections a test takes from the service's pool and keeps, as long-running requests would. Asking for more than
 * the pool has leaves the rest waiting; whatever arrives after {@link #releaseAll()} goes straight back.
 */
public final class HeldConnections implements AutoCloseable {

    private final Pool pool;
    private final List<SqlConnection> held = new ArrayList<>();
    private boolean released;

    public HeldConnections(Pool pool) {
        this.pool = pool;
    }

    /** Asks for {@code count} connections and returns once {@code expected} of them are handed out. */
    public HeldConnections take(int count, int expected) {
        for (int i = 0; i < count; i++) {
            pool.getConnection().subscribe().with(this::hold, refused -> {
            });
        }
        await("the pool handed out " + expected + " connections").atMost(Duration.ofSeconds(30))
                .until(() -> count() >= expected);
        return this;
    }

    /** Every connection the pool hands out, one after the other, until one more is refused after its wait. */
    public HeldConnections takeAll() {
        while (true) {
            try {
                hold(pool.getConnection().await().atMost(Duration.ofSeconds(30)));
            } catch (RuntimeException refused) {
                return this;
            }
        }
    }

    public synchronized int count() {
        return held.size();
    }

    public synchronized SqlConnection first() {
        return held.get(0);
    }

    /** Hands every connection back; a request still waiting gets its connection and hands it back at once. */
    public synchronized void releaseAll() {
        released = true;
        held.forEach(SqlConnection::closeAndForget);
        held.clear();
    }

    @Override
    public void close() {
        releaseAll();
    }

    private synchronized void hold(SqlConnection connection) {
        if (released) {
            connection.closeAndForget();
        } else {
            held.add(connection);
        }
    }
}
