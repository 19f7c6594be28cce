package dev.keyway.runtime.database;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long and how many requests may wait for a connection of the service's pool, beyond what Quarkus configures. */
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
}
