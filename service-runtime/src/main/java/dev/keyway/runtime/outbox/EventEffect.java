package dev.keyway.runtime.outbox;

import dev.keyway.common.event.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * What one consumed event changes, written in the transaction that records the event in the inbox. A consumer hands
 * it to {@link IncomingEvents#apply(org.apache.kafka.clients.consumer.ConsumerRecord, EventEffect)}, which does the
 * rest (decoding, once-only, tracing, retries, dead letters).
 */
@FunctionalInterface
public interface EventEffect {

    Uni<Void> apply(SqlConnection transaction, EventEnvelope event);
}
