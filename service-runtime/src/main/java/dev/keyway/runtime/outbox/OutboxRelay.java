package dev.keyway.runtime.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import dev.keyway.runtime.database.KeptConnection;
import dev.keyway.runtime.timer.TimerLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Publishes pending outbox rows to Kafka, oldest first, keyed by aggregate id, and deletes them once Kafka has
 * acknowledged them: every row in the outbox is pending.
 *
 * <p>One replica relays at a time (a transaction-scoped advisory lock), which keeps each aggregate's events in
 * order across replicas. A failed send leaves the row pending; the relay pauses with exponential backoff and tries
 * again, so Kafka being down delays events but never loses them and never touches the write path.
 *
 * <p>The relay works on a connection of its own ({@link KeptConnection}): taking one per batch queued it behind every
 * request waiting for the pool, and under 200 SCIM writes/s it then published a 500-row batch every 3-4 s, fell
 * behind for good and held a deactivation back for more than 30 s.
 *
 * <p>The relay wakes when a transaction of this replica that wrote events commits ({@link Outbox} calls
 * {@link #wake()}), and polls for the rest: events of other replicas, whose relay may hold the lock. Not PostgreSQL's
 * {@code NOTIFY}: it takes a database-wide lock at commit that serialises every notifying commit with its WAL flush,
 * which here capped the SCIM POST's own SQL at a quarter of its rate (613 against 2,370 transactions/s).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /**
     * The lock key is per schema: services sharing one database do not wait for each other. No sequential scan of the
     * outbox in this transaction: its statistics find it nearly empty, as it is of live rows, so the planner would
     * read it whole at every cycle, and with it every row published since the last vacuum (at 300 events/s, 10,000 of
     * them within 35 s). The primary key's index steps over those, and marks them dead for the next cycle.
     */
    private static final String BECOME_RELAY = """
            set local enable_seqscan = off;
            select pg_try_advisory_xact_lock(hashtext(current_schema() || '.outbox'))""";
    /**
     * No row lock: the advisory lock already keeps other relays out, and writers only ever insert. Deleting what was
     * published (rather than stamping it) writes no new row version and keeps the table as small as the backlog.
     */
    private static final String PENDING = """
            select id, topic, event_type, aggregate_id, payload, traceparent, tracestate from outbox
            order by id limit $1""";
    private static final String FORGET_PUBLISHED = "delete from outbox where id = any($1)";
    private static final String MARK_FAILED = "update outbox set attempts = attempts + 1, last_error = $2 where id = $1";
    private static final String FORGET_PROCESSED = "delete from inbox where processed_at < now() - make_interval(secs => $1)";

    public static final String EVENT_TYPE_HEADER = "keyway-event-type";

    /** How soon a woken relay looks again when another replica held the lock. */
    private static final Duration LOCK_BUSY_RETRY = Duration.ofMillis(25);

    private final Pool pool;
    private final Vertx vertx;
    private final OutboxConfig config;
    private final DeadLetters deadLetters;
    private final Map<String, Object> kafkaConfig;
    private final Counter published;
    private final Counter failures;

    private final TimerLoop loop;

    private Producer<String, String> producer;
    /** Used by one cycle at a time (the loop's). */
    private final KeptConnection connection;
    private volatile Duration backoff = Duration.ZERO;
    /** Whether the last cycle found another replica relaying; set by the cycle, read and reset by the pacing. */
    private volatile boolean lockBusy;

    public OutboxRelay(Pool pool, Vertx vertx, OutboxConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, MeterRegistry meters,
            DeadLetters deadLetters) {
        this.pool = pool;
        this.connection = new KeptConnection(pool);
        this.vertx = vertx;
        this.config = config;
        this.deadLetters = deadLetters;
        this.kafkaConfig = kafkaConfig;
        this.published = meters.counter("keyway.outbox.published");
        this.failures = meters.counter("keyway.outbox.publish.failures");
        this.loop = new TimerLoop(vertx, this::relay, unexpected -> {
            // relay() turns every failure into a pause; this is a bug, but the relay must keep going
            LOG.error("Outbox relay cycle failed", unexpected);
            return config.maxBackoff();
        }, this::pace);
    }

    /** Only the Kafka sends block, and they run on a worker thread. */
    void start(@Observes StartupEvent started) {
        loop.start(Duration.ZERO);
    }

    /** Events were committed: relay them now, unless a cycle is in flight (then right after it) or Kafka is down. */
    void wake() {
        if (backoff.isZero()) {
            loop.wake();
        }
    }

    /** Lets the cycle in flight finish (bounded by the send timeout), then closes its connection and the producer. */
    void stop(@Observes ShutdownEvent stopping) {
        if (!loop.stop(config.sendTimeout().plusSeconds(1))) {
            LOG.warn("Outbox relay did not finish its cycle before shutdown; its rows stay pending");
        }
        connection.close();
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
        }
    }

    private Duration pace(Duration pause, boolean woken, boolean wokenDuringCycle) {
        Duration next = pause;
        if (wokenDuringCycle && backoff.isZero()) {
            // committed while the cycle was reading: what it found may not include them
            next = Duration.ZERO;
        } else if (woken && lockBusy && backoff.isZero()) {
            // another replica is relaying and may have read before this replica's commit: look again shortly
            next = min(pause, LOCK_BUSY_RETRY);
        }
        lockBusy = false;
        return next;
    }

    /** @return how long to wait before the next attempt */
    Uni<Duration> relay() {
        return drain().map(drained -> {
            backoff = Duration.ZERO;
            return config.pollInterval();
        }).onFailure().recoverWithItem(e -> {
            if (!loop.isRunning()) {
                return Duration.ZERO;
            }
            failures.increment();
            backoff = backoff.isZero() ? config.initialBackoff() : min(backoff.multipliedBy(2), config.maxBackoff());
            LOG.warnf("Outbox relay could not publish (%s); next attempt in %d ms", e.getMessage(), backoff.toMillis());
            return backoff;
        });
    }

    /** Publishes batches while they come back full: there is probably more waiting. */
    private Uni<Void> drain() {
        return publishBatch().chain(count -> count == config.batchSize() && loop.isRunning() ? drain()
                : Uni.createFrom().voidItem());
    }

    /**
     * Publishes one batch in one transaction. What was acknowledged is deleted and a failure is recorded on its row,
     * both committed, before the failure is reported.
     *
     * @return how many rows were published
     */
    Uni<Integer> publishBatch() {
        return connection.inTransaction(this::publishBatch).map(batch -> {
            if (batch.error() != null) {
                throw new OutboxPublishException(batch.error(), batch.published());
            }
            return batch.published();
        });
    }

    private record Batch(int published, String error) {
    }

    /** What one batch's sends came to: every row's id in order, the acknowledged ones, and the first failure. */
    private record Sent(List<Long> ids, List<Long> done, String error) {
    }

    private Uni<Batch> publishBatch(SqlConnection connection) {
        // the lock's answer is the second statement's result
        return connection.query(BECOME_RELAY).execute().map(rows -> rows.next().iterator().next().getBoolean(0))
                .invoke(relay -> lockBusy = !relay)
                .chain(relay -> !relay ? Uni.createFrom().item(new Batch(0, null))
                        : connection.preparedQuery(PENDING).execute(Tuple.of(config.batchSize()))
                                // sends block (metadata, acknowledgements): on a worker, never the event loop
                                .chain(rows -> vertx.executeBlocking(() -> send(rows), false))
                                .chain(sent -> record(connection, sent)));
    }

    private Sent send(RowSet<Row> rows) {
        List<Long> ids = new ArrayList<>(rows.size());
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        String error = null;
        try {
            for (Row row : rows) {
                ProducerRecord<String, String> record = new ProducerRecord<>(row.getString("topic"),
                        row.getString("aggregate_id"), row.getString("payload"));
                record.headers().add(EVENT_TYPE_HEADER, row.getString("event_type").getBytes());
                TraceContext.addTo(record.headers(), row.getString("traceparent"), row.getString("tracestate"));
                ids.add(row.getLong("id"));
                acks.add(producer().send(record));
            }
            // send what the producer holds now rather than after its linger: a lone deactivation waits for nothing
            producer().flush();
        } catch (RuntimeException e) {
            error = describe(e);
        }
        List<Long> done = new ArrayList<>(acks.size());
        for (int i = 0; i < acks.size() && error == null; i++) {
            try {
                acks.get(i).get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                done.add(ids.get(i));
            } catch (ExecutionException | TimeoutException e) {
                error = describe(e instanceof ExecutionException ? e.getCause() : e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
            }
        }
        return new Sent(ids, done, error);
    }

    private Uni<Batch> record(SqlConnection connection, Sent sent) {
        List<Long> done = sent.done();
        Uni<Void> stamped = done.isEmpty() ? Uni.createFrom().voidItem()
                : connection.preparedQuery(FORGET_PUBLISHED).execute(Tuple.of(done.toArray(Long[]::new)))
                        .invoke(() -> published.increment(done.size())).replaceWithVoid();
        return stamped.chain(() -> sent.error() != null && sent.ids().size() > done.size()
                // the first row not acknowledged; it and everything after it stay pending, in order
                ? connection.preparedQuery(MARK_FAILED).execute(Tuple.of(sent.ids().get(done.size()), sent.error()))
                        .replaceWithVoid()
                : Uni.createFrom().voidItem())
                .replaceWith(new Batch(done.size(), sent.error()));
    }

    /**
     * Keeps the inbox small (ids older than Kafka's retention cannot be redelivered anyway), and dead letters for
     * their own, longer, time. The outbox keeps only pending rows and needs no cleanup.
     */
    @Scheduled(identity = "outbox-cleanup", every = "1h", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOldRows() {
        return pool.preparedQuery(FORGET_PROCESSED).execute(Tuple.of(config.retention().toSeconds()))
                .chain(deadLetters::forgetExpired);
    }

    private synchronized Producer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> settings = new HashMap<>(kafkaConfig);
            long timeout = config.sendTimeout().toMillis();
            settings.put(ProducerConfig.ACKS_CONFIG, "all");
            settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
            settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (timeout / 2));
            settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
            // while a batch is in flight the next records gather anyway; each batch ends with a flush
            settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            settings.put(ProducerConfig.CLIENT_ID_CONFIG, "keyway-outbox-relay");
            producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Some events of a batch could not be published; they stay pending and are retried after a pause. */
    static final class OutboxPublishException extends RuntimeException {

        OutboxPublishException(String error, int publishedBeforeFailure) {
            super(error + " (" + publishedBeforeFailure + " published before the failure)");
        }
    }
}
