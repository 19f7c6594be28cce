package dev.keyway.scim.protocol.filter;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Runs the queries of a SCIM list or search in one read-only transaction under PostgreSQL's
 * {@code statement_timeout} ({@link FilterConfig#timeout()}): a filter too costly to answer is cancelled by the
 * server (SQLSTATE 57014, answered 503) instead of running on.
 */
@ApplicationScoped
public class FilterQueries {

    private final Pool pool;
    private final String limit;

    public FilterQueries(Pool pool, FilterConfig config) {
        this.pool = pool;
        // SET takes no bind parameters; this is a number from configuration, never from a request
        this.limit = "set local statement_timeout = " + Math.max(1, config.timeout().toMillis());
    }

    public <T> Uni<T> run(Function<SqlConnection, Uni<T>> queries) {
        return pool.withTransaction(connection -> connection.query("set transaction read only").execute()
                .chain(() -> connection.query(limit).execute())
                .chain(() -> queries.apply(connection)));
    }
}
