package dev.keyway.scim.requestlog;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The SCIM request log ({@link RequestLog}). */
@ConfigMapping(prefix = "keyway.scim.request-log")
public interface RequestLogConfig {

    /** Entries wait in memory at most this long before they are written (one INSERT per flush). */
    @WithDefault("1s")
    Duration flushInterval();

    /** A flush starts early once this many entries wait; also the most rows one INSERT writes. */
    @WithDefault("500")
    int batchSize();

    /**
     * The most entries waiting in memory; beyond it new entries are dropped (and counted in
     * {@code keyway.scim.request.log.dropped}) rather than slowing SCIM down while the database is slow or away.
     */
    @WithDefault("20000")
    int capacity();

    /**
     * About how many bytes the entries waiting in memory may hold; beyond it new entries are dropped (and counted)
     * like beyond {@link #capacity()}. A count alone would let long paths and error details take far more heap.
     */
    @WithDefault("8M")
    MemorySize maxWaitingBytes();

    /**
     * The most entries one organization adds in a minute; beyond it its entries are dropped (and counted), so one
     * tenant's looping client cannot fill the table every organization of the region shares.
     */
    @WithDefault("6000")
    int perOrganizationPerMinute();

    /** Entries are deleted after this long. */
    @WithDefault("P30D")
    Duration retention();
}
