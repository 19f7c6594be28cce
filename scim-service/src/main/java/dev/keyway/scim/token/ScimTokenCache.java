package dev.keyway.scim.token;

import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgConnection;

/**
 * Remembers the active tokens this replica has seen, so a SCIM request does not cost a query before its own work.
 * A revoked token must still stop working at once, on every replica. The replica that revokes a token, or changes
 * what a token stands for (its organization's API key, SCIM settings), forgets everything when that transaction
 * commits; every other replica is told by PostgreSQL (the triggers of V6 notify {@value #CHANNEL}; this replica
 * listens on a connection of its own) and forgets everything when the notification arrives, milliseconds after the
 * commit. A replica that is not listening (connection lost, not yet up) remembers nothing, so a silently broken
 * connection is the only way an entry outlives a revocation: {@link ScimTokenConfig#maxAge()} bounds that.
 * Only active tokens are remembered: an unknown token is looked up every time, and cannot fill memory.
 */
@ApplicationScoped
public class ScimTokenCache {

    /** The channel the triggers of V6 notify when a token is revoked or what it authenticates changes. */
    static final String CHANNEL = "scim_token_changed";

    private static final Logger LOG = Logger.getLogger(ScimTokenCache.class);
    private static final HexFormat HEX = HexFormat.of();
    private static final long RELISTEN_MILLIS = 1_000;

    private record Entry(ScimTokenRepository.Presented token, long loadedAt) {
    }

    private final ScimTokenRepository tokens;
    private final Pool pool;
    private final Vertx vertx;
    private final long maxAgeNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Moves on every forget, so a lookup that raced with a revocation does not store what it read before it. */
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean listening;
    private volatile boolean stopped;
    private volatile SqlConnection listener;

    public ScimTokenCache(ScimTokenRepository tokens, Pool pool, Vertx vertx, ScimTokenConfig config) {
        this.tokens = tokens;
        this.pool = pool;
        this.vertx = vertx;
        this.maxAgeNanos = config.maxAge().toNanos();
    }

    void start(@Observes StartupEvent started) {
        if (maxAgeNanos > 0) {
            listen();
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
        listening = false;
        SqlConnection connection = listener;
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
            listener = connection;
            PgConnection pg = PgConnection.cast(connection.getDelegate());
            pg.notificationHandler(notification -> forget());
            pg.closeHandler(closed -> {
                listening = false;
                forget();
                if (!stopped) {
                    LOG.info("SCIM token cache: the notification connection closed; looking every token up until it"
                            + " is back");
                    vertx.setTimer(RELISTEN_MILLIS, timer -> listen());
                }
            });
            connection.query("listen " + CHANNEL).execute().subscribe().with(done -> {
                forget();
                listening = true;
                LOG.info("SCIM token cache: listening for revocations");
            }, failure -> {
                LOG.warnf("SCIM token cache: cannot listen for revocations (%s); looking every token up",
                        failure.getMessage());
                connection.closeAndForget();
            });
        }, failure -> {
            LOG.debugf("SCIM token cache: no connection to listen on (%s); trying again", failure.getMessage());
            vertx.setTimer(RELISTEN_MILLIS, timer -> listen());
        });
    }
}
