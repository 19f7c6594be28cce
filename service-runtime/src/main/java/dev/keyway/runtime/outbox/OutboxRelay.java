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

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Publishes pending outbox rows to Kafka, oldest first, keyed by aggregate id, and stamps them published.
 *
 * <p>One replica relays at a time (a transaction-scoped advisory lock), which keeps each aggregate's events in
 * order across replicas. A failed send leaves the row pending; the relay pauses with exponential backoff and tries
 * again, so Kafka being down delays events but never loses them and never touches the write path.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** The lock key is per schema: services sharing one database do not wait for each other. */
    private static final String BECOME_RELAY = "select pg_try_advisory_xact_lock(hashtext(current_schema() || '.outbox'))";
    private static final String PENDING = """
            select id, topic, event_type, aggregate_id, payload from outbox
            where published_at is null order by id limit $1 for update""";
    private static final String MARK_PUBLISHED = """
            update outbox set published_at = now(), attempts = attempts + 1, last_error = null where id = any($1)""";
    private static final String MARK_FAILED = "update outbox set attempts = attempts + 1, last_error = $2 where id = $1";
    private static final String FORGET_PUBLISHED = "delete from outbox where published_at < now() - make_interval(secs => $1)";
    private static final String FORGET_PROCESSED = "delete from inbox where processed_at < now() - make_interval(secs => $1)";

    public static final String EVENT_TYPE_HEADER = "keyway-event-type";

    private final Pool pool;
    private final OutboxConfig config;
    private final Map<String, Object> kafkaConfig;
    private final Counter published;
    private final Counter failures;

    private Producer<String, String> producer;
    private Duration backoff = Duration.ZERO;
    private volatile boolean running;
    private Thread thread;

    public OutboxRelay(Pool pool, OutboxConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, MeterRegistry meters) {
        this.pool = pool;
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.published = meters.counter("keyway.outbox.published");
        this.failures = meters.counter("keyway.outbox.publish.failures");
    }

    /** The relay runs on a thread of its own: it blocks on Kafka, and the scheduler cannot tick faster than 1 s. */
    void start(@Observes StartupEvent started) {
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(config.sendTimeout().toMillis() + 1000);
        }
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
        }
    }

    private void loop() {
        while (running) {
            Duration pause = relay();
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** @return how long to wait before the next attempt */
    Duration relay() {
        try {
            while (publishBatch() == config.batchSize()) {
                // a full batch: there is probably more waiting
            }
            backoff = Duration.ZERO;
            return config.pollInterval();
        } catch (RuntimeException e) {
            if (!running) {
                return Duration.ZERO;
            }
            failures.increment();
            backoff = backoff.isZero() ? config.initialBackoff() : min(backoff.multipliedBy(2), config.maxBackoff());
            LOG.warnf("Outbox relay could not publish (%s); next attempt in %d ms", e.getMessage(), backoff.toMillis());
            return backoff;
        }
    }

    /**
     * Publishes one batch in one transaction. What was acknowledged is stamped published and a failure is recorded
     * on its row, both committed, before the failure is reported.
     *
     * @return how many rows were published
     */
    int publishBatch() {
        SqlConnection connection = pool.getConnectionAndAwait();
        try {
            Transaction transaction = connection.beginAndAwait();
            Batch batch;
            try {
                batch = publishBatch(connection);
                transaction.commitAndAwait();
            } catch (RuntimeException e) {
                transaction.rollbackAndAwait();
                throw e;
            }
            if (batch.error() != null) {
                throw new OutboxPublishException(batch.error(), batch.published());
            }
            return batch.published();
        } finally {
            connection.closeAndAwait();
        }
    }

    private record Batch(int published, String error) {
    }

    private Batch publishBatch(SqlConnection connection) {
        boolean relay = connection.query(BECOME_RELAY).executeAndAwait().iterator().next().getBoolean(0);
        if (!relay) {
            return new Batch(0, null);
        }
        RowSet<Row> rows = connection.preparedQuery(PENDING).executeAndAwait(Tuple.of(config.batchSize()));
        List<Long> ids = new ArrayList<>(rows.size());
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        String error = null;
        try {
            for (Row row : rows) {
                ProducerRecord<String, String> record = new ProducerRecord<>(row.getString("topic"),
                        row.getString("aggregate_id"), row.getString("payload"));
                record.headers().add(EVENT_TYPE_HEADER, row.getString("event_type").getBytes());
                ids.add(row.getLong("id"));
                acks.add(producer().send(record));
            }
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
        if (!done.isEmpty()) {
            connection.preparedQuery(MARK_PUBLISHED).executeAndAwait(Tuple.of(done.toArray(Long[]::new)));
            published.increment(done.size());
        }
        if (error != null && ids.size() > done.size()) {
            // the first row not acknowledged; it and everything after it stay pending, in order
            connection.preparedQuery(MARK_FAILED).executeAndAwait(Tuple.of(ids.get(done.size()), error));
        }
        return new Batch(done.size(), error);
    }

    /** Keeps the outbox and inbox tables small; ids older than Kafka's retention cannot be redelivered anyway. */
    @Scheduled(identity = "outbox-cleanup", every = "1h", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetOldRows() {
        long seconds = config.retention().toSeconds();
        pool.preparedQuery(FORGET_PUBLISHED).executeAndAwait(Tuple.of(seconds));
        pool.preparedQuery(FORGET_PROCESSED).executeAndAwait(Tuple.of(seconds));
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
