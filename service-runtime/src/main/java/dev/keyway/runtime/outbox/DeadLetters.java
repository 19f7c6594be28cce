package dev.keyway.runtime.outbox;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.keyway.common.event.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code dead_letter} table: records a consumer could never apply, kept as they arrived so an operator can see
 * what was refused and why, and replay it once the cause is fixed.
 */
@ApplicationScoped
public class DeadLetters {

    /** A record seen again (redelivered before its offset was committed) is kept once. */
    private static final String RECORD = """
            insert into dead_letter (topic, kafka_partition, kafka_offset, record_key, record_value, event_id,
                event_type, reason, error)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            on conflict (topic, kafka_partition, kafka_offset) do nothing""";
    private static final String FORGET = """
            delete from dead_letter where dead_lettered_at < now() - make_interval(secs => $1)""";

    private final Pool pool;
    private final EventsConfig config;

    public DeadLetters(Pool pool, EventsConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /**
     * Records the Kafka record in a transaction of its own (one statement on the pool), not in the effect's, which
     * has been rolled back.
     *
     * @param event the record as decoded, or null if it could not be
     */
    public Uni<Void> record(ConsumerRecord<String, String> record, EventEnvelope event, String reason, String error) {
        return pool.preparedQuery(RECORD).execute(Tuple.tuple()
                .addString(record.topic())
                .addInteger(record.partition())
                .addLong(record.offset())
                .addString(storable(record.key()))
                .addString(storable(record.value()))
                .addUUID(event == null ? null : event.id())
                .addString(event == null ? null : event.type())
                .addString(reason)
                .addString(storable(error)))
                .replaceWithVoid();
    }

    /** Deletes dead letters older than {@code keyway.events.dead-letter-retention}. */
    public Uni<Void> forgetExpired() {
        return pool.preparedQuery(FORGET).execute(Tuple.of(config.deadLetterRetention().toSeconds())).replaceWithVoid();
    }

    /** PostgreSQL text cannot hold NUL, which a poison record may well contain; it becomes U+FFFD. */
    private static String storable(String text) {
        return text == null ? null : text.replace('\u0000', '\uFFFD');
    }
}
