package dev.keyway.runtime.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Tuning of the outbox relay and of the inbox; the defaults suit one replica or many. */
@ConfigMapping(prefix = "keyway.outbox")
public interface OutboxConfig {

    /** How often the relay looks for unpublished events (it also drains a full backlog at once). */
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

    /** Published outbox rows and processed inbox ids are kept this long, then deleted. */
    @WithDefault("P7D")
    Duration retention();
}
