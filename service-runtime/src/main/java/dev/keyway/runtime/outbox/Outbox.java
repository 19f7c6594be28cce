package dev.keyway.runtime.outbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

    private final OutboxRelay relay;

    public Outbox(OutboxRelay relay) {
        this.relay = relay;
    }

    /** The relay is woken once the transaction has committed; a rollback leaves nothing to relay. */
    private void wakeRelayOnCommit(SqlConnection transaction) {
        transaction.transaction().getDelegate().completion().onSuccess(committed -> relay.wake());
    }

    /**
     * The event and its aggregate's next sequence in one round trip: PostgreSQL numbers the event and the JSON is
     * joined around the number as text, never parsed. The sequence row's lock orders concurrent writers of one
     * aggregate until they commit, so a later sequence always gets a later outbox id; the update is HOT (the number is
     * not indexed).
     */
    private static final String APPEND = """
            with next as (
                insert into outbox_sequence (aggregate_id, last_sequence) values ($4, 1)
                on conflict (aggregate_id) do update set last_sequence = outbox_sequence.last_sequence + 1
                returning last_sequence)
            insert into outbox (event_id, topic, event_type, aggregate_id, payload, traceparent, tracestate)
            select $1, $2, $3, $4, $5 || next.last_sequence || $6, $7, $8 from next
            returning (select last_sequence from next)""";

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
        wakeRelayOnCommit(transaction);
        return transaction.preparedQuery(APPEND).execute(row(unnumbered, TraceContext.current()))
                .map(rows -> new EventEnvelope(unnumbered.id(), unnumbered.type(), unnumbered.version(), orgId,
                        region, unnumbered.occurredAt(), aggregateId, rows.iterator().next().getLong(0), payload));
    }

    /**
     * An aggregate's first event (number 1) as the columns of its outbox row, for a write that inserts the row itself,
     * in the one statement that also makes the aggregate and inserts {@code (aggregate_id, 1)} into
     * {@code outbox_sequence} beside it: no transaction to append in, no round trip of its own. Call
     * {@link #wakeRelay} once that statement has succeeded.
     */
    public record FirstEvent(UUID id, String topic, String type, String json, String traceparent, String tracestate) {

        public static FirstEvent of(EventType type, OrgId orgId, Region region, String aggregateId,
                EventPayload payload) {
            EventEnvelope event = EventEnvelope.of(type, orgId, region, aggregateId, 1, payload);
            TraceContext trace = TraceContext.current();
            return new FirstEvent(event.id(), type.topic(), type.wireName(), EventCodec.encode(event),
                    trace.traceparent(), trace.tracestate());
        }
    }

    /** A statement that wrote {@link FirstEvent}s (in a statement of its own, committed) succeeded. */
    public void wakeRelay() {
        relay.wake();
    }

    /**
     * Many events in one statement: each aggregate's sequence moves once by its number of events, and the events are
     * inserted in the order given, so within an aggregate a later event gets a later id and a higher number. The
     * aggregates and their counts come with the events ($8, $9: counted while encoding, not grouped by PostgreSQL);
     * {@code later} is how many events of the same aggregate follow an event in the statement.
     */
    private static final String APPEND_ALL = """
            with bumped as (
                insert into outbox_sequence (aggregate_id, last_sequence) select * from unnest($8::text[], $9::bigint[])
                on conflict (aggregate_id) do update set last_sequence = outbox_sequence.last_sequence + excluded.last_sequence
                returning aggregate_id, last_sequence)
            insert into outbox (event_id, topic, event_type, aggregate_id, payload, traceparent, tracestate)
            select e.event_id, e.topic, e.event_type, e.aggregate_id, e.head || (b.last_sequence - e.later) || e.tail,
                   $10, $11
            from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])
                with ordinality as e(event_id, topic, event_type, aggregate_id, head, tail, later, position)
            join bumped b on b.aggregate_id = e.aggregate_id
            order by e.position""";

    /** Events per statement of {@link #appendAll}: a write of any size goes in bounded pieces. */
    private static final int CHUNK = 1_000;

    /**
     * Events encoded for {@link #appendAll(SqlConnection, Encoded)}, a statement's parameters per thousand. Encoding is
     * the CPU part of a write: a caller may do it ahead, off the event loop, while an earlier write runs.
     */
    public static final class Encoded {

        private final List<Tuple> statements;
        private final int size;

        private Encoded(List<Tuple> statements, int size) {
            this.statements = statements;
            this.size = size;
        }

        /** How many events. */
        public int size() {
            return size;
        }
    }

    /** The events as {@link #appendAll(SqlConnection, Encoded)} writes them, in the current trace. */
    public static Encoded encode(OrgId orgId, Region region, List<Draft> drafts) {
        TraceContext trace = TraceContext.current();
        List<Tuple> statements = new ArrayList<>();
        for (int from = 0; from < drafts.size(); from += CHUNK) {
            statements.add(rows(drafts.subList(from, Math.min(drafts.size(), from + CHUNK)), orgId, region, trace));
        }
        return new Encoded(statements, drafts.size());
    }

    /** Many events in the caller's transaction (a large import), a thousand per statement; each gets its sequence. */
    public Uni<Void> appendAll(SqlConnection transaction, OrgId orgId, Region region, List<Draft> drafts) {
        return appendAll(transaction, encode(orgId, region, drafts));
    }

    /** Events encoded beforehand ({@link #encode}), in the caller's transaction. */
    public Uni<Void> appendAll(SqlConnection transaction, Encoded events) {
        if (transaction.transaction() == null) {
            return Uni.createFrom().failure(new IllegalStateException("outbox append outside a transaction"));
        }
        wakeRelayOnCommit(transaction);
        Uni<Void> done = Uni.createFrom().voidItem();
        for (Tuple statement : events.statements) {
            done = done.chain(() -> transaction.preparedQuery(APPEND_ALL).execute(statement)).replaceWithVoid();
        }
        return done;
    }

    private static Tuple rows(List<Draft> drafts, OrgId orgId, Region region, TraceContext trace) {
        int size = drafts.size();
        UUID[] ids = new UUID[size];
        String[] topics = new String[size];
        String[] types = new String[size];
        String[] aggregates = new String[size];
        String[] heads = new String[size];
        String[] tails = new String[size];
        Integer[] later = new Integer[size];
        for (int i = 0; i < size; i++) {
            Draft draft = drafts.get(i);
            EventEnvelope unnumbered = EventEnvelope.of(draft.type(), orgId, region, draft.aggregateId(), 0,
                    draft.payload());
            EventCodec.Unnumbered json = EventCodec.encodeUnnumbered(unnumbered);
            ids[i] = unnumbered.id();
            topics[i] = draft.type().topic();
            types[i] = draft.type().wireName();
            aggregates[i] = draft.aggregateId();
            heads[i] = json.head();
            tails[i] = json.tail();
        }
        // counted from the last event back: what an aggregate has counted so far follows the event; then, its total
        Map<String, Integer> counts = new HashMap<>();
        for (int i = size - 1; i >= 0; i--) {
            later[i] = counts.merge(aggregates[i], 1, Integer::sum) - 1;
        }
        return Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(topics).addArrayOfString(types)
                .addArrayOfString(aggregates).addArrayOfString(heads).addArrayOfString(tails).addArrayOfInteger(later)
                .addArrayOfString(counts.keySet().toArray(String[]::new))
                .addArrayOfLong(counts.values().stream().map(Integer::longValue).toArray(Long[]::new))
                .addString(trace.traceparent()).addString(trace.tracestate());
    }

    private static Tuple row(EventEnvelope unnumbered, TraceContext trace) {
        EventCodec.Unnumbered json = EventCodec.encodeUnnumbered(unnumbered);
        return Tuple.of(unnumbered.id(), unnumbered.eventType().topic(), unnumbered.type(), unnumbered.aggregateId(),
                json.head(), json.tail()).addString(trace.traceparent()).addString(trace.tracestate());
    }
}
