package dev.keyway.runtime.database;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A connection taken from the pool once and kept, for background work that runs one transaction at a time (the outbox
 * relay, a consumer channel). Taking one per transaction queued that work behind every request waiting for the pool,
 * and under overload had it refused with them ({@link BoundedPoolCreator}): events fell behind the writes that made
 * them, and a deactivation waited for the sign-ins. A transaction that fails drops the connection (closing it rolls
 * back); the next one takes another.
 */
public final class KeptConnection {

    private final Pool pool;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile SqlConnection connection;

    public KeptConnection(Pool pool) {
        this.pool = pool;
    }

    /**
     * {@code work} in a transaction on the kept connection. A caller that comes while another transaction is on it
     * (outside the one sequence it is kept for) takes a connection from the pool as any request would.
     */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            if (!busy.compareAndSet(false, true)) {
                return pool.withTransaction(work);
            }
            return connection().chain(held -> held.begin().chain(transaction -> work.apply(held)
                    .call(transaction::commit)))
                    // closing the connection rolls back what was left open; the next transaction takes another
                    .onFailure().invoke(this::close)
                    .onCancellation().invoke(this::close)
                    .onTermination().invoke(() -> busy.set(false));
        });
    }

    /** Hands the connection back (the next transaction takes another). */
    public void close() {
        SqlConnection held = connection;
        connection = null;
        if (held != null) {
            held.closeAndForget();
        }
    }

    private Uni<SqlConnection> connection() {
        SqlConnection held = connection;
        return held != null ? Uni.createFrom().item(held) : pool.getConnection().invoke(taken -> connection = taken);
    }
}
