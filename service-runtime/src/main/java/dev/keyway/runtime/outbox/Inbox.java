package dev.keyway.runtime.outbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Applies an event's effect at most once: the event id and the aggregate's newest sequence are recorded in the
 * same transaction as the effect, so a redelivered event, or an older state arriving after a newer one, is a no-op.
 * A polled batch is recorded in two statements whatever its size ({@link #acceptAll}).
 */
@ApplicationScoped
public class Inbox {

    private static final String RECORD_EVENT = "insert into inbox (event_id) values ($1) on conflict do nothing";
    private static final String ADVANCE_SEQUENCE = """
            insert into inbox_sequence (aggregate_id, last_sequence) values ($1, $2)
            on conflict (aggregate_id) do update set last_sequence = excluded.last_sequence
            where inbox_sequence.last_sequence < excluded.last_sequence""";

    /**
     * Records every id (a duplicate changes nothing) and locks the sequence rows of the batch's aggregates, so no
     * other consumer of them moves them until this transaction ends: the new ids and the sequences to compare with.
     */
    private static final String RECORD_EVENTS = """
            with fresh as (
                insert into inbox (event_id) select unnest($1::uuid[]) on conflict do nothing returning event_id),
            locked as (
                select aggregate_id, last_sequence from inbox_sequence where aggregate_id = any($2)
                order by aggregate_id for update)
            select (select array_agg(event_id) from fresh) as fresh,
                   (select array_agg(aggregate_id order by aggregate_id) from locked) as aggregates,
                   (select array_agg(last_sequence order by aggregate_id) from locked) as sequences""";
    /**
     * Each aggregate's newest sequence. A row inserted here that another consumer inserted first (the only row the
     * lock above could not hold) shows as updated, not inserted: the batch is then tried again.
     */
    private static final String ADVANCE_SEQUENCES = """
            insert into inbox_sequence (aggregate_id, last_sequence)
            select * from unnest($1::text[], $2::bigint[])
            on conflict (aggregate_id) do update set last_sequence = excluded.last_sequence
            where inbox_sequence.last_sequence < excluded.last_sequence
            returning aggregate_id, xmax = 0 as inserted""";

    /**
     * The events of a batch to apply, in the caller's transaction: those not applied before and newer than what was
     * applied of their aggregate (and than the batch's earlier events of it), in the order given; exactly the events
     * {@link #applyOnce} would apply one after another. The rest are recorded as seen.
     */
    public Uni<List<EventEnvelope>> acceptAll(SqlConnection transaction, List<EventEnvelope> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        UUID[] ids = events.stream().map(EventEnvelope::id).toArray(UUID[]::new);
        String[] aggregates = events.stream().map(EventEnvelope::aggregateId).distinct().toArray(String[]::new);
        return transaction.preparedQuery(RECORD_EVENTS).execute(Tuple.of(ids, aggregates)).chain(rows -> {
            Row row = rows.iterator().next();
            Set<UUID> fresh = new HashSet<>(arrayOrEmpty(row.getArrayOfUUIDs("fresh")));
            Map<String, Long> stored = new HashMap<>();
            String[] locked = row.getArrayOfStrings("aggregates");
            Long[] sequences = row.getArrayOfLongs("sequences");
            for (int i = 0; locked != null && i < locked.length; i++) {
                stored.put(locked[i], sequences[i]);
            }
            List<EventEnvelope> accepted = new ArrayList<>();
            Map<String, Long> newest = new LinkedHashMap<>();
            for (EventEnvelope event : events) {
                // remove: an id seen twice in one batch is applied once
                if (!fresh.remove(event.id())) {
                    continue;
                }
                Long before = newest.getOrDefault(event.aggregateId(), stored.get(event.aggregateId()));
                if (before == null || before < event.sequence()) {
                    newest.put(event.aggregateId(), event.sequence());
                    accepted.add(event);
                }
            }
            if (newest.isEmpty()) {
                return Uni.createFrom().item(accepted);
            }
            return transaction.preparedQuery(ADVANCE_SEQUENCES)
                    .execute(Tuple.of(newest.keySet().toArray(String[]::new), newest.values().toArray(Long[]::new)))
                    .map(advanced -> {
                        Set<String> moved = new HashSet<>();
                        for (Row done : advanced) {
                            if (stored.containsKey(done.getString("aggregate_id")) || done.getBoolean("inserted")) {
                                moved.add(done.getString("aggregate_id"));
                            }
                        }
                        if (moved.size() != newest.size()) {
                            throw new ConcurrentConsumerException();
                        }
                        return accepted;
                    });
        });
    }

    private static <T> List<T> arrayOrEmpty(T[] values) {
        return values == null ? List.of() : List.of(values);
    }

    /** Another consumer recorded a first event of one of the batch's aggregates meanwhile: the batch is retried. */
    static final class ConcurrentConsumerException extends RuntimeException {

        ConcurrentConsumerException() {
            super("another consumer recorded an aggregate of this batch concurrently");
        }
    }

    /**
     * Runs the effect in the caller's transaction ({@code pool.withTransaction}) unless the event was applied already.
     *
     * @return true if the effect ran, false if the event was a duplicate or older than what was applied
     */
    public Uni<Boolean> applyOnce(SqlConnection transaction, EventEnvelope event, Supplier<Uni<Void>> effect) {
        return transaction.preparedQuery(RECORD_EVENT).execute(Tuple.of(event.id()))
                .chain(recorded -> recorded.rowCount() == 0 ? Uni.createFrom().item(false) : transaction
                        .preparedQuery(ADVANCE_SEQUENCE).execute(Tuple.of(event.aggregateId(), event.sequence()))
                        .chain(newer -> newer.rowCount() == 0 ? Uni.createFrom().item(false)
                                : effect.get().replaceWith(true)));
    }
}
