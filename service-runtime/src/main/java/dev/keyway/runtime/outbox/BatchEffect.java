package dev.keyway.runtime.outbox;

import java.util.List;

import dev.keyway.common.event.EventEnvelope;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * What a polled batch of consumed events changes, written in the one transaction that records them in the inbox. It
 * receives only the events the inbox accepted (neither applied before nor older than what was applied of their
 * aggregate), in the order consumed, and should write them in few statements. A consumer hands it to
 * {@link IncomingEvents#applyBatch(org.apache.kafka.clients.consumer.ConsumerRecords, BatchEffect)}.
 *
 * <p>It must give the result of applying the events one after another: a batch that fails on its data is rolled back
 * and applied again one event at a time, to find and dead-letter the poison one.
 */
@FunctionalInterface
public interface BatchEffect {

    Uni<Void> apply(SqlConnection transaction, List<EventEnvelope> events);

    /** A batch effect from a one-event effect: each event in turn, still one transaction for the batch. */
    static BatchEffect eachInOrder(EventEffect effect) {
        return (transaction, events) -> Multi.createFrom().iterable(events)
                .onItem().transformToUniAndConcatenate(event -> effect.apply(transaction, event))
                .collect().last().replaceWithVoid();
    }
}
