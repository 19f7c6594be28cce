package dev.keyway.runtime.outbox;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.EventPayload;
import dev.keyway.common.event.EventType;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes events into the outbox table inside the caller's transaction, so an event exists exactly when the
 * change it describes was committed. {@link OutboxRelay} publishes them; Kafka being down never fails the write.
 * Each row keeps the trace context it was written in, so the consumer's work joins the writer's trace.
 */
@ApplicationScoped
public class Outbox {

    /**
     * The event and its aggregate's next sequence in one round trip: PostgreSQL numbers the event and the JSON is
     * joined around the number as text, never parsed. The sequence row's lock orders concurrent writers of one
     * aggregate until they commit, so a later sequence always gets a later outbox id; the update is HOT (the number is
     * not indexed). The notification wakes the relay when the transaction commits (and never if it rolls back);
     * PostgreSQL sends one per transaction however many events it wrote.
     */
    static final String APPEND = """
            with next as (
                insert into outbox_sequence (aggregate_id, last_sequence) values ($4, 1)
                on conflict (aggregate_id) do update set last_sequence = outbox_sequence.last_sequence + 1
                returning last_sequence)
            insert into outbox (event_id, topic, event_type, aggregate_id, payload, traceparent, tracestate)
            select $1, $2, $3, $4, $5 || next.last_sequence || $6, $7, $8 from next
            returning (select last_sequence from next), pg_notify(%s, '')""".formatted(OutboxRelay.CHANNEL);

    /** An event to append: what happened, to which aggregate. */
    public record Draft(EventType type, String aggregateId, EventPayload payload) {
    }

    /**
     * Appends one event in the caller's transaction ({@code pool.withTransaction}), the one that writes the change:
     * an event without its change (or the reverse) is a bug, so a connection outside a transaction is refused.
     */
    public Uni<EventEnvelope> append(SqlConnection transaction, EventType type, OrgId orgId, Region region,
            String aggregateId, EventPayload payload) {
        if (transaction.transaction() == null) {
            return Uni.createFrom().failure(new IllegalStateException("outbox append outside a transaction"));
        }
        EventEnvelope unnumbered = EventEnvelope.of(type, orgId, region, aggregateId, 0, payload);
        return transaction.preparedQuery(APPEND).execute(row(unnumbered, TraceContext.current()))
                .map(rows -> new EventEnvelope(unnumbered.id(), unnumbered.type(), unnumbered.version(), orgId,
                        region, unnumbered.occurredAt(), aggregateId, rows.iterator().next().getLong(0), payload));
    }

    /** Many events in the caller's transaction (a large import); each gets its sequence. */
    public Uni<Void> appendAll(SqlConnection transaction, OrgId orgId, Region region, List<Draft> drafts) {
        if (transaction.transaction() == null) {
            return Uni.createFrom().failure(new IllegalStateException("outbox append outside a transaction"));
        }
        TraceContext trace = TraceContext.current();
        List<Tuple> rows = drafts.stream().map(draft -> row(
                EventEnvelope.of(draft.type(), orgId, region, draft.aggregateId(), 0, draft.payload()), trace))
                .toList();
        return Batches.execute(transaction, APPEND, rows);
    }

    private static Tuple row(EventEnvelope unnumbered, TraceContext trace) {
        EventCodec.Unnumbered json = EventCodec.encodeUnnumbered(unnumbered);
        return Tuple.of(unnumbered.id(), unnumbered.eventType().topic(), unnumbered.type(), unnumbered.aggregateId(),
                json.head(), json.tail()).addString(trace.traceparent()).addString(trace.tracestate());
    }
}
