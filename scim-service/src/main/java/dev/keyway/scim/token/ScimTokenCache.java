package dev.keyway.scim.token;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnection;

/**
 * Remembers the active tokens this replica has seen, so a SCIM request does not cost a query before its own work.
 * A revoked token must still stop working at once, on every replica. The replica that revokes a token, or changes
 * what a token stands for (its organization's API key, SCIM settings), forgets everything when that transaction
 * commits; every other replica is told by PostgreSQL (the triggers of V6 notify {@value #CHANNEL}; this replica
 * listens on a connection of its own) and forgets everything when the notification arrives, milliseconds after the
 * commit. A replica that is not listening (connection lost, not yet up) remembers nothing. A connection can also
 * break without closing (a stalled backend, a dropped network path): every
 * {@link ScimTokenConfig#heartbeatInterval()} a cheap query on it must answer within that interval that it still
 * listens, or the replica forgets everything and listens on a new connection; {@link ScimTokenConfig#maxAge()} bounds
 * whatever is left. Only active tokens are remembered: an unknown token is looked up every time, and cannot fill
 * memory.
 */
@ApplicationScoped
public class ScimTokenCache {

    /** The channel the triggers of V6 notify when a token is revoked or what it authenticates changes. */
    static final String CHANNEL = "scim_token_changed";

    private static final Logger LOG = Logger.getLogger(ScimTokenCache.class);
    private static final HexFormat HEX = HexFormat.of();
    private static final long RELISTEN_MILLIS = 1_000;
    private static final String LISTEN = "listen " + CHANNEL;
    /** One row while this connection listens on the channel: the backend answers, and still listens. */
    static final String HEARTBEAT = "select 1 from pg_listening_channels() c where c = '" + CHANNEL + "'";
    /**
     * Ends the abandoned listener's backend, if it is still ours (last busy with the listener's statements), which
     * closes the connection so the pool lets it go; a stalled backend ends when it runs again.
     */
    private static final String END_BACKEND = "select pg_terminate_backend(pid) from pg_stat_activity "
            + "where pid = $1 and datname = current_database() and query in ($2, $3)";

    private record Entry(ScimTokenRepository.Presented token, long loadedAt) {
    }

    private final ScimTokenRepository tokens;
    private final Pool pool;
    private final Vertx vertx;
    private final long maxAgeNanos;
    private final Duration heartbeat;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Moves on every forget, so a lookup that raced with a revocation does not store what it read before it. */
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean listening;
    private volatile boolean stopped;
    /** The connection listening now, or null; a connection given up is replaced, so this tells whether it is. */
    private final AtomicReference<SqlConnection> listener = new AtomicReference<>();

    public ScimTokenCache(ScimTokenRepository tokens, Pool pool, Vertx vertx, ScimTokenConfig config) {
        this.tokens = tokens;
        this.pool = pool;
        this.vertx = vertx;
        this.maxAgeNanos = config.maxAge().toNanos();
        this.heartbeat = config.heartbeatInterval();
    }

    void start(@Observes StartupEvent started) {
        if (maxAgeNanos > 0) {
            listen();
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
        listening = false;
        SqlConnection connection = listener.getAndSet(null);
        if (connection != null) {
            connection.closeAndForget();
        }
    }

    /** The active token with this hash: remembered, or looked up (and then remembered while this replica listens). */
    public Uni<Optional<ScimTokenRepository.Presented>> presented(byte[] hash) {
        if (!listening) {
            return tokens.presented(hash);
        }
        String key = HEX.formatHex(hash);
        Entry entry = entries.get(key);
        if (entry != null && System.nanoTime() - entry.loadedAt() < maxAgeNanos) {
            return Uni.createFrom().item(Optional.of(entry.token()));
        }
        long seen = generation.get();
        return tokens.presented(hash).invoke(found -> found.ifPresent(token -> {
            if (listening && generation.get() == seen) {
                entries.put(key, new Entry(token, System.nanoTime()));
                // a forget between the check and the put must win
                if (generation.get() != seen) {
                    entries.remove(key);
                }
            }
        }));
    }

    /** Whether tokens are remembered now (this replica hears of revocations). */
    boolean listening() {
        return listening;
    }

    /** Forgets every token; called after a transaction that revoked one or changed what one stands for committed. */
    public void forget() {
        generation.incrementAndGet();
        entries.clear();
    }

    private void listen() {
        if (stopped) {
            return;
        }
        pool.getConnection().subscribe().with(connection -> {
            listener.set(connection);
            PgConnection pg = PgConnection.cast(connection.getDelegate());
            pg.notificationHandler(notification -> forget());
            pg.closeHandler(closed -> lost(connection, "the notification connection closed", false));
            connection.query(LISTEN).execute().subscribe().with(done -> {
                forget();
                listening = true;
                LOG.info("SCIM token cache: listening for revocations");
                vertx.setTimer(heartbeat.toMillis(), timer -> beat(connection));
            }, failure -> lost(connection, "cannot listen for revocations (" + failure.getMessage() + ")", true));
        }, failure -> {
            LOG.debugf("SCIM token cache: no connection to listen on (%s); trying again", failure.getMessage());
            vertx.setTimer(RELISTEN_MILLIS, timer -> listen());
        });
    }

    /** Checks that the listening connection answers, and still listens; then again after the interval. */
    private void beat(SqlConnection connection) {
        if (listener.get() != connection) {
            return;
        }
        connection.query(HEARTBEAT).execute().ifNoItem().after(heartbeat).fail().subscribe().with(rows -> {
            if (rows.size() == 1) {
                vertx.setTimer(heartbeat.toMillis(), timer -> beat(connection));
            } else {
                lost(connection, "the notification connection no longer listens", true);
            }
        }, failure -> lost(connection, "the notification connection failed its heartbeat ("
                + (failure instanceof TimeoutException ? "no answer within " + heartbeat : failure.getMessage()) + ")",
                true));
    }

    /**
     * Fail safe: whatever was remembered may have missed a revocation, so everything is forgotten and tokens are
     * looked up until a new connection listens. A connection that may be stalled is not handed back to the pool.
     */
    private void lost(SqlConnection connection, String why, boolean mayBeStalled) {
        if (!listener.compareAndSet(connection, null)) {
            return; // given up already (or shutting down)
        }
        listening = false;
        forget();
        if (stopped) {
            return;
        }
        LOG.warnf("SCIM token cache: %s; looking every token up until it listens again", why);
        if (mayBeStalled) {
            int pid = PgConnection.cast(connection.getDelegate()).processId();
            pool.preparedQuery(END_BACKEND).execute(Tuple.of(pid, LISTEN, HEARTBEAT)).subscribe().with(
                    ended -> {
                    }, failure -> LOG.debugf("SCIM token cache: could not end the old listener (%s)",
                            failure.getMessage()));
        }
        vertx.setTimer(RELISTEN_MILLIS, timer -> listen());
    }
}
