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
     * The event and its aggregate's next sequence in one round trip: the row is written with sequence 0 and
     * PostgreSQL sets the sequence into it. The sequence row's lock also orders concurrent writers of one aggregate.
     */
    private static final String APPEND = """
            with next as (
                insert into outbox_sequence (aggregate_id, last_sequence) values ($4, 1)
                on conflict (aggregate_id) do update set last_sequence = outbox_sequence.last_sequence + 1
                returning last_sequence)
            insert into outbox (event_id, topic, event_type, aggregate_id, payload, traceparent, tracestate)
            select $1, $2, $3, $4, jsonb_set($5::text::jsonb, '{sequence}', to_jsonb(next.last_sequence))::text, $6, $7
            from next returning (select last_sequence from next)""";

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
        TraceContext trace = TraceContext.current();
        return transaction.preparedQuery(APPEND)
                .execute(Tuple.of(unnumbered.id(), type.topic(), type.wireName(), aggregateId,
                        EventCodec.encode(unnumbered)).addString(trace.traceparent()).addString(trace.tracestate()))
                .map(rows -> new EventEnvelope(unnumbered.id(), unnumbered.type(), unnumbered.version(), orgId,
                        region, unnumbered.occurredAt(), aggregateId, rows.iterator().next().getLong(0), payload));
    }

    /** Many events in the caller's transaction (a large import); each gets its sequence. */
    public Uni<Void> appendAll(SqlConnection transaction, OrgId orgId, Region region, List<Draft> drafts) {
        if (transaction.transaction() == null) {
            return Uni.createFrom().failure(new IllegalStateException("outbox append outside a transaction"));
        }
        TraceContext trace = TraceContext.current();
        List<Tuple> rows = drafts.stream().map(draft -> {
            EventEnvelope unnumbered = EventEnvelope.of(draft.type(), orgId, region, draft.aggregateId(), 0,
                    draft.payload());
            return Tuple.of(unnumbered.id(), draft.type().topic(), draft.type().wireName(), draft.aggregateId(),
                    EventCodec.encode(unnumbered)).addString(trace.traceparent()).addString(trace.tracestate());
        }).toList();
        return Batches.execute(transaction, APPEND, rows);
    }
}
