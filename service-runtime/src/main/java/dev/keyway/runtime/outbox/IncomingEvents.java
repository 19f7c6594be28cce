package dev.keyway.runtime.outbox;

import java.time.DateTimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JacksonException;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventEnvelope;
import dev.keyway.runtime.database.KeptConnection;
import dev.keyway.runtime.log.LogSafe;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;

/**
 * The one way a Kafka record becomes an applied event: decode, skip what this build cannot read, and apply once
 * through the {@link Inbox} in a transaction of its own. A poison record never stops the consumer: one that cannot
 * be decoded, or whose effect fails for a reason retrying cannot fix (bad data), goes to the {@link DeadLetters} and
 * is acknowledged. Any other failure (database down, a timeout) is retried with backoff and then fails the record,
 * so it is delivered again rather than lost.
 */
@ApplicationScoped
public class IncomingEvents {

    private static final Logger LOG = Logger.getLogger(IncomingEvents.class);

    /** Dead-letter reason: the record is not a readable event. */
    static final String MALFORMED = "malformed";
    /** Dead-letter reason: the event was read, but applying it failed on its data. */
    static final String REJECTED = "rejected";

    private final Pool pool;
    private final Inbox inbox;
    private final DeadLetters deadLetters;
    private final MeterRegistry meters;
    private final Tracer tracer;

    public IncomingEvents(Pool pool, Inbox inbox, DeadLetters deadLetters, MeterRegistry meters, Tracer tracer) {
        this.pool = pool;
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.tracer = tracer;
    }

    /** Applies the record's event to this service's database: what a consumer's {@code @Incoming} method returns. */
    public Uni<Void> apply(ConsumerRecord<String, String> record, EventEffect effect) {
        return apply(record, pool, effect);
    }

    /**
     * Applies the record's event through {@code pool}: {@code effect} runs in the transaction that records it in the inbox, inside a span
     * whose parent is the trace context the record's headers carry (the write that produced the event), so one
     * trace follows a change from the service that made it to every service that applied it.
     */
    public Uni<Void> apply(ConsumerRecord<String, String> record, Pool pool,
            EventEffect effect) {
        Span span = span(record);
        Context traced = Context.current().with(span);
        return Uni.createFrom().deferred(() -> {
            try (Scope scope = traced.makeCurrent()) {
                return applyTraced(record, pool, effect);
            }
        }).onFailure().invoke(failure -> span.setStatus(StatusCode.ERROR, describe(failure)))
                .onTermination().invoke(span::end);
    }

    private Uni<Void> applyTraced(ConsumerRecord<String, String> record, Pool pool,
            EventEffect effect) {
        Optional<EventEnvelope> decoded;
        try {
            decoded = EventCodec.decode(record.value());
        } catch (RuntimeException e) {
            return deadLetter(record, null, MALFORMED, e);
        }
        return applyTraced(record, pool, decoded, effect);
    }

    private Uni<Void> applyTraced(ConsumerRecord<String, String> record, Pool pool, Optional<EventEnvelope> decoded,
            EventEffect effect) {
        if (decoded.isEmpty()) {
            meters.counter("keyway.events.skipped", "topic", record.topic(), "reason", "unknown-type").increment();
            return Uni.createFrom().voidItem();
        }
        EventEnvelope event = decoded.get();
        return Uni.createFrom().deferred(() -> pool.withTransaction(transaction -> inbox.applyOnce(transaction, event,
                () -> effect.apply(transaction, event))))
                .onFailure(IncomingEvents::isTransient).invoke(e -> LOG.warnf("Applying %s %s failed, will retry: %s",
                        event.type(), event.id(), LogSafe.value(e.getMessage())))
                .onFailure(IncomingEvents::isTransient).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).atMost(20)
                .invoke(applied -> meters.counter("keyway.events.applied", "type", event.type(),
                        "outcome", applied ? "applied" : "duplicate").increment())
                .replaceWithVoid()
                .onFailure(failure -> !isTransient(failure))
                .recoverWithUni(failure -> deadLetter(record, event, REJECTED, failure));
    }

    private Uni<Void> deadLetter(ConsumerRecord<String, String> record, EventEnvelope event, String reason,
            Throwable failure) {
        String error = describe(failure);
        return deadLetters.record(record, event, reason, error).invoke(() -> {
            meters.counter("keyway.events.dead.lettered", "topic", record.topic(), "reason", reason).increment();
            LOG.warnf("Dead-lettered record %s-%d@%d (%s%s): %s", LogSafe.value(record.topic()), record.partition(),
                    record.offset(), reason, event == null ? "" : ", " + event.type() + " " + event.id(),
                    LogSafe.value(error));
        });
    }

    /**
     * Applies a polled batch (the channel's {@code batch=true}) in one transaction: what a batch consumer's
     * {@code @Incoming} method returns. The inbox records the batch in two statements and {@code effect} writes the
     * events it accepted, in order. Records that are not readable events are dead-lettered first; a batch whose effect
     * fails on its data is rolled back and applied again one event at a time, so only the poison event is
     * dead-lettered and the others are applied. Each event has its consumer span, whose parent is the trace context
     * of its record; the batch's own work runs in the first one's. The batch is written on the channel's own
     * {@code connection}, so requests waiting for the pool never hold events back.
     */
    public Uni<Void> applyBatch(ConsumerRecords<String, String> records, KeptConnection connection,
            BatchEffect effect) {
        List<Decoded> decoded = new ArrayList<>(records.count());
        Uni<Void> deadLettered = Uni.createFrom().voidItem();
        for (ConsumerRecord<String, String> record : records) {
            Optional<EventEnvelope> event;
            try {
                event = EventCodec.decode(record.value());
            } catch (RuntimeException e) {
                deadLettered = deadLettered.chain(() -> deadLetter(record, null, MALFORMED, e));
                continue;
            }
            if (event.isEmpty()) {
                meters.counter("keyway.events.skipped", "topic", record.topic(), "reason", "unknown-type").increment();
            } else {
                decoded.add(new Decoded(record, event.get(), span(record)));
            }
        }
        if (decoded.isEmpty()) {
            return deadLettered;
        }
        List<EventEnvelope> events = decoded.stream().map(Decoded::event).toList();
        Context traced = Context.current().with(decoded.get(0).span());
        return deadLettered.chain(() -> Uni.createFrom().deferred(() -> {
            try (Scope scope = traced.makeCurrent()) {
                return connection.inTransaction(transaction -> inbox.acceptAll(transaction, events)
                        .call(accepted -> accepted.isEmpty() ? Uni.createFrom().voidItem()
                                : effect.apply(transaction, accepted)));
            }
        })
                .onFailure(IncomingEvents::isTransient).invoke(e -> LOG.warnf("Applying a batch of %d events failed, "
                        + "will retry: %s", events.size(), LogSafe.value(e.getMessage())))
                .onFailure(IncomingEvents::isTransient).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).atMost(20)
                .invoke(accepted -> count(events, accepted))
                .replaceWithVoid()
                .onFailure(failure -> !isTransient(failure)).recoverWithUni(failure -> {
                    LOG.debugf("A batch of %d events failed on its data (%s); applying them one at a time",
                            events.size(), LogSafe.value(describe(failure)));
                    return Multi.createFrom().iterable(decoded)
                            .onItem().transformToUniAndConcatenate(one -> applyTraced(one.record(), pool,
                                    Optional.of(one.event()),
                                    (transaction, event) -> effect.apply(transaction, List.of(event))))
                            .collect().last().replaceWithVoid();
                }))
                .onFailure().invoke(failure -> decoded.forEach(one -> one.span().setStatus(StatusCode.ERROR,
                        describe(failure))))
                .onTermination().invoke(() -> decoded.forEach(one -> one.span().end()));
    }

    private record Decoded(ConsumerRecord<String, String> record, EventEnvelope event, Span span) {
    }

    private void count(List<EventEnvelope> events, List<EventEnvelope> accepted) {
        Set<UUID> applied = new HashSet<>();
        accepted.forEach(event -> applied.add(event.id()));
        for (EventEnvelope event : events) {
            meters.counter("keyway.events.applied", "type", event.type(),
                    "outcome", applied.remove(event.id()) ? "applied" : "duplicate").increment();
        }
    }

    private Span span(ConsumerRecord<String, String> record) {
        return tracer.spanBuilder(record.topic() + " process").setSpanKind(SpanKind.CONSUMER)
                .setParent(TraceContext.extract(record.headers()))
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.kafka.message.offset", record.offset())
                .startSpan();
    }

    /**
     * Whether trying again may succeed. Bad data never does: PostgreSQL's data exceptions (SQLSTATE class 22) and
     * integrity violations (23), and what reading or validating the event throws. A NullPointerException counts as
     * bad data too: an effect meets one on a field the event lacks, and it would recur on every attempt.
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"))) {
                return false;
            }
            if (cause instanceof EventCodec.MalformedEventException || cause instanceof JacksonException
                    || cause instanceof DecodeException || cause instanceof IllegalArgumentException
                    || cause instanceof DateTimeException || cause instanceof ClassCastException
                    || cause instanceof NullPointerException) {
                return false;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return true;
    }

    /** What went wrong, for the dead-letter row and the log: SQLSTATE or exception type, and message. */
    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof PgException pg) {
                return "SQLSTATE " + pg.getSqlState() + ": " + pg.getErrorMessage();
            }
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
