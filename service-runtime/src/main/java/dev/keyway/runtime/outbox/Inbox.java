package dev.keyway.runtime.outbox;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.EventEnvelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Applies an event's effect at most once: the event id and the aggregate's newest sequence are recorded in the
 * same transaction as the effect, so a redelivered event, or an older state arriving after a newer one, is a no-op.
 */
@ApplicationScoped
public class Inbox {

    private static final String RECORD_EVENT = "insert into inbox (event_id) values (?1) on conflict do nothing";
    private static final String ADVANCE_SEQUENCE = """
            insert into inbox_sequence (aggregate_id, last_sequence) values (?1, ?2)
            on conflict (aggregate_id) do update set last_sequence = excluded.last_sequence
            where inbox_sequence.last_sequence < excluded.last_sequence""";

    // the same statements for the reactive SQL client, whose placeholders are $n
    private static final String RECORD_EVENT_SQL = RECORD_EVENT.replaceAll("\\?(\\d)", "\\$$1");
    private static final String ADVANCE_SEQUENCE_SQL = ADVANCE_SEQUENCE.replaceAll("\\?(\\d)", "\\$$1");

    /**
     * Inside a Hibernate Reactive (Panache) transaction.
     *
     * @return true if the effect ran, false if the event was a duplicate or older than what was applied
     */
    public Uni<Boolean> applyOnce(EventEnvelope event, Supplier<Uni<Void>> effect) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery(RECORD_EVENT).setParameter(1, event.id()).executeUpdate()
                .chain(recorded -> recorded == 0 ? Uni.createFrom().item(false) : session
                        .createNativeQuery(ADVANCE_SEQUENCE)
                        .setParameter(1, event.aggregateId())
                        .setParameter(2, event.sequence())
                        .executeUpdate()
                        .chain(newer -> newer == 0 ? Uni.createFrom().item(false) : effect.get().replaceWith(true)))));
    }

    /** The same inside a transaction of the reactive SQL client, for consumers that write with it. */
    public Uni<Boolean> applyOnce(SqlConnection transaction, EventEnvelope event, Supplier<Uni<Void>> effect) {
        return transaction.preparedQuery(RECORD_EVENT_SQL).execute(Tuple.of(event.id()))
                .chain(recorded -> recorded.rowCount() == 0 ? Uni.createFrom().item(false) : transaction
                        .preparedQuery(ADVANCE_SEQUENCE_SQL).execute(Tuple.of(event.aggregateId(), event.sequence()))
                        .chain(newer -> newer.rowCount() == 0 ? Uni.createFrom().item(false)
                                : effect.get().replaceWith(true)));
    }
}
