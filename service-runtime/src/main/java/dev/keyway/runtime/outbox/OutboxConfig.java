package dev.keyway.runtime.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Tuning of the outbox relay and of the inbox; the defaults suit one replica or many. */
@ConfigMapping(prefix = "keyway.outbox")
public interface OutboxConfig {

    /**
     * How often the relay looks for unpublished events if nothing woke it: a commit of this replica that wrote events
     * wakes it at once, so this bounds how long another replica's events wait when its own relay could not take the
     * lock.
     */
    @WithDefault("200ms")
    Duration pollInterval();

    /** Most events published in one relay transaction. */
    @WithDefault("500")
    int batchSize();

    /** First pause after a failed publish; it doubles on each further failure. */
    @WithDefault("500ms")
    Duration initialBackoff();

    /** Longest pause between publish attempts while Kafka is unreachable. */
    @WithDefault("30s")
    Duration maxBackoff();

    /** How long a send may wait for Kafka before the attempt counts as failed (bounds the relay transaction). */
    @WithDefault("10s")
    Duration sendTimeout();

    /** Processed inbox ids are kept this long, then deleted (published outbox rows are deleted at once). */
    @WithDefault("P7D")
    Duration retention();
}
