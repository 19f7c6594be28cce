package dev.keyway.runtime.database;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The service's pool beyond what Quarkus configures: how long and how many requests may wait for a connection, and
 * which statements its connections keep prepared.
 */
@ConfigMapping(prefix = "keyway.database")
public interface DatabaseConfig {

    /**
     * Most requests waiting for a connection at once, per replica; the next one is refused at once (503 with
     * {@code Retry-After}) instead of queueing behind them.
     */
    @WithDefault("256")
    int maxWaiting();

    /** Longest wait for a connection; a request still waiting then is refused the same way. */
    @WithDefault("5s")
    Duration connectionWait();

    /**
     * Longest SQL text a connection keeps prepared ({@code quarkus.datasource.reactive.cache-prepared-statements}).
     * Vert.x keeps none longer than 2,048 characters; the writes that are one statement (the ACS's sign-in, SCIM's
     * new user) are longer, and were parsed and planned again at every call.
     */
    @WithDefault("8192")
    int cachedStatementMaxLength();
}
