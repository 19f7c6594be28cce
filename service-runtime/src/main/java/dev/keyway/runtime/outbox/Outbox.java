package dev.keyway.runtime.outbox;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.EventPayload;
import dev.keyway.common.event.EventType;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes events into the outbox table inside the caller's transaction, so an event exists exactly when the
 * change it describes was committed. {@link OutboxRelay} publishes them; Kafka being down never fails the write.
 */
@ApplicationScoped
public class Outbox {

    private static final String NEXT_SEQUENCE = """
            insert into outbox_sequence (aggregate_id, last_sequence) values (?1, 1)
            on conflict (aggregate_id) do update set last_sequence = outbox_sequence.last_sequence + 1
            returning last_sequence""";

    private static final String APPEND = """
            insert into outbox (event_id, topic, event_type, aggregate_id, payload) values (?1, ?2, ?3, ?4, ?5)""";

    /**
     * Both steps in one round trip, for the reactive SQL client: the event is written with sequence 0 and the
     * aggregate's next sequence is set into it by PostgreSQL.
     */
    private static final String APPEND_IN_ONE = """
            with next as (
                insert into outbox_sequence (aggregate_id, last_sequence) values ($4, 1)
                on conflict (aggregate_id) do update set last_sequence = outbox_sequence.last_sequence + 1
                returning last_sequence)
            insert into outbox (event_id, topic, event_type, aggregate_id, payload)
            select $1, $2, $3, $4, jsonb_set($5::text::jsonb, '{sequence}', to_jsonb(next.last_sequence))::text
            from next returning (select last_sequence from next)""";

    /** Must run inside {@code Panache.withTransaction}: an event without its change (or the reverse) is a bug. */
    public Uni<EventEnvelope> append(EventType type, OrgId orgId, Region region, String aggregateId,
            EventPayload payload) {
        return Panache.currentTransaction()
                .onItem().ifNull().failWith(() -> new IllegalStateException("outbox append outside a transaction"))
                .chain(Panache::getSession)
                .chain(session -> session.createNativeQuery(NEXT_SEQUENCE, Long.class)
                        .setParameter(1, aggregateId)
                        .getSingleResult()
                        .chain(sequence -> {
                            EventEnvelope event = EventEnvelope.of(type, orgId, region, aggregateId, sequence, payload);
                            return session.createNativeQuery(APPEND)
                                    .setParameter(1, event.id())
                                    .setParameter(2, type.topic())
                                    .setParameter(3, type.wireName())
                                    .setParameter(4, aggregateId)
                                    .setParameter(5, EventCodec.encode(event))
                                    .executeUpdate()
                                    .replaceWith(event);
                        }));
    }

    /** An event to append: what happened, to which aggregate. */
    public record Draft(EventType type, String aggregateId, EventPayload payload) {
    }

    /** The same, inside a transaction of the reactive SQL client ({@code pool.withTransaction}). */
    public Uni<EventEnvelope> append(SqlConnection transaction, EventType type, OrgId orgId, Region region,
            String aggregateId, EventPayload payload) {
        EventEnvelope unnumbered = EventEnvelope.of(type, orgId, region, aggregateId, 0, payload);
        return transaction.preparedQuery(APPEND_IN_ONE)
                .execute(Tuple.of(unnumbered.id(), type.topic(), type.wireName(), aggregateId,
                        EventCodec.encode(unnumbered)))
                .map(rows -> new EventEnvelope(unnumbered.id(), unnumbered.type(), unnumbered.version(), orgId,
                        region, unnumbered.occurredAt(), aggregateId, rows.iterator().next().getLong(0), payload));
    }

    /** Many events in one transaction of the reactive SQL client (a large import); each gets its sequence. */
    public Uni<Void> appendAll(SqlConnection transaction, OrgId orgId, Region region, List<Draft> drafts) {
        List<Tuple> rows = drafts.stream().map(draft -> {
            EventEnvelope unnumbered = EventEnvelope.of(draft.type(), orgId, region, draft.aggregateId(), 0,
                    draft.payload());
            return Tuple.of(unnumbered.id(), draft.type().topic(), draft.type().wireName(), draft.aggregateId(),
                    EventCodec.encode(unnumbered));
        }).toList();
        return Batches.execute(transaction, APPEND_IN_ONE, rows);
    }
}
