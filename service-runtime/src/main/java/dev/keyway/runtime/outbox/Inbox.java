package dev.keyway.runtime.outbox;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Applies an event's effect at most once: the event id and the aggregate's newest sequence are recorded in the
 * same transaction as the effect, so a redelivered event, or an older state arriving after a newer one, is a no-op.
 */
@ApplicationScoped
public class Inbox {

    private static final String RECORD_EVENT = "insert into inbox (event_id) values ($1) on conflict do nothing";
    private static final String ADVANCE_SEQUENCE = """
            insert into inbox_sequence (aggregate_id, last_sequence) values ($1, $2)
            on conflict (aggregate_id) do update set last_sequence = excluded.last_sequence
            where inbox_sequence.last_sequence < excluded.last_sequence""";

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
