package dev.keyway.runtime.outbox;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventEnvelope;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The one way a Kafka record becomes an applied event: decode, skip what this build cannot read, apply once through
 * the {@link Inbox}, and retry transient failures with backoff before giving up (which stops the channel rather than
 * lose the event).
 */
@ApplicationScoped
public class IncomingEvents {

    private static final Logger LOG = Logger.getLogger(IncomingEvents.class);

    private final Inbox inbox;
    private final MeterRegistry meters;

    public IncomingEvents(Inbox inbox, MeterRegistry meters) {
        this.inbox = inbox;
        this.meters = meters;
    }

    /** Applies the record's event: {@code effect} runs in the transaction that records it in the inbox. */
    public Uni<Void> apply(ConsumerRecord<String, String> record, Pool pool,
            BiFunction<SqlConnection, EventEnvelope, Uni<Void>> effect) {
        return applyOnce(record, event -> pool.withTransaction(transaction -> inbox.applyOnce(transaction, event,
                () -> effect.apply(transaction, event))));
    }

    private Uni<Void> applyOnce(ConsumerRecord<String, String> record, Function<EventEnvelope, Uni<Boolean>> applyOnce) {
        Optional<EventEnvelope> decoded;
        try {
            decoded = EventCodec.decode(record.value());
        } catch (EventCodec.MalformedEventException e) {
            LOG.errorf("Skipping unreadable record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            meters.counter("keyway.events.skipped", "topic", record.topic(), "reason", "malformed").increment();
            return Uni.createFrom().voidItem();
        }
        if (decoded.isEmpty()) {
            meters.counter("keyway.events.skipped", "topic", record.topic(), "reason", "unknown-type").increment();
            return Uni.createFrom().voidItem();
        }
        EventEnvelope event = decoded.get();
        return Uni.createFrom().deferred(() -> applyOnce.apply(event))
                .onFailure().invoke(e -> LOG.warnf("Applying %s %s failed, will retry: %s", event.type(), event.id(),
                        e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).atMost(20)
                .invoke(applied -> meters.counter("keyway.events.applied", "type", event.type(),
                        "outcome", applied ? "applied" : "duplicate").increment())
                .replaceWithVoid();
    }
}
