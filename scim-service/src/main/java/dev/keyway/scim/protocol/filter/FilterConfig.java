package dev.keyway.scim.protocol.filter;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How much of the database one SCIM list or search may use. */
@ConfigMapping(prefix = "keyway.scim.filter")
public interface FilterConfig {

    /**
     * A list or search query (filter, sort, page) is cancelled by PostgreSQL after this long and answered 503, so
     * one expensive filter cannot hold a connection and a core.
     */
    @WithDefault("5s")
    Duration timeout();
}
