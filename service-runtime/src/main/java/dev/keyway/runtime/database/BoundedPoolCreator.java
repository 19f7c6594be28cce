package dev.keyway.runtime.database;

import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The service's PostgreSQL pool as Quarkus configures it, with a bounded wait for a connection. Vert.x queues waiting
 * requests without limit and fails one after 30 s, which the caller saw as a 500; under a burst of writes, everything
 * behind it (a deactivation among them) waited as long. Bounded by {@link DatabaseConfig}, an overloaded replica
 * refuses the excess at once and {@link PoolOverload} makes it a 503 the caller retries. Its connections keep
 * statements prepared up to {@link DatabaseConfig#cachedStatementMaxLength()}.
 */
@Singleton
public class BoundedPoolCreator implements PgPoolCreator {

    private final DatabaseConfig config;

    public BoundedPoolCreator(DatabaseConfig config) {
        this.config = config;
    }

    @Override
    @SuppressWarnings("deprecation") // Quarkus casts what this returns to PgPool, which PgBuilder does not give
    public Pool create(Input input) {
        PoolOptions options = new PoolOptions(input.poolOptions())
                .setMaxWaitQueueSize(config.maxWaiting())
                .setConnectionTimeout(Math.toIntExact(config.connectionWait().toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        List<PgConnectOptions> connections = input.pgConnectOptionsList().stream()
                .map(connection -> new PgConnectOptions(connection)
                        .setPreparedStatementCacheSqlLimit(config.cachedStatementMaxLength()))
                .toList();
        return PgPool.pool(input.vertx(), connections, options);
    }
}
