package dev.keyway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventEnvelope;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

/**
 * A real Kafka broker (KRaft, in this JVM) on a random port, started once per JVM, or an external cluster when
 * {@code KEYWAY_TEST_KAFKA_BOOTSTRAP} is set. The embedded broker can be stopped and started again on the same port
 * and log directory, to show what happens while Kafka is down.
 */
public final class TestKafka {

    private static TestKafka instance;
    private static TestKafka second;

    /** The broker's configuration dumps and coordinator chatter drown the tests' own output; strong refs keep it so. */
    private static final List<Logger> QUIET = Stream
            .of("kafka", "org.apache.kafka", "state.change.logger")
            .map(Logger::getLogger)
            .peek(logger -> logger.setLevel(Level.WARNING))
            .toList();

    /** How long a snapshot read of a topic may take before the test fails instead of hanging. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrap;
    private final int port;
    private final Path logDir;
    private final String clusterId = Uuid.randomUuid().toString();
    private EmbeddedKafkaBroker broker;

    private TestKafka(String bootstrap, int port, Path logDir) {
        this.bootstrap = bootstrap;
        this.port = port;
        this.logDir = logDir;
    }

    public static synchronized TestKafka get() {
        if (instance == null) {
            String external = TestPostgres.setting("KEYWAY_TEST_KAFKA_BOOTSTRAP");
            if (external != null) {
                instance = new TestKafka(external, -1, null);
            } else {
                instance = embedded();
            }
        }
        return instance;
    }

    /** A second cluster (always an embedded broker), e.g. the other region's. */
    public static synchronized TestKafka second() {
        if (second == null) {
            second = embedded();
        }
        return second;
    }

    private static TestKafka embedded() {
        TestKafka broker;
        try {
            broker = new TestKafka(null, FreePorts.take(), Files.createTempDirectory("keyway-kafka-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker.start();
        Teardown.register(broker::stop);
        return broker;
    }

    public String bootstrapServers() {
        return bootstrap != null ? bootstrap : "localhost:" + port;
    }

    public boolean isEmbedded() {
        return bootstrap == null;
    }

    /** Starts the embedded broker, on the same port and log directory as before if it ran already. */
    public synchronized void start() {
        if (broker != null) {
            return;
        }
        broker = new EmbeddedKafkaBroker()
                .withNodeId(0)
                .withClusterId(clusterId)
                .withKafkaHost("localhost")
                .withKafkaPort(port)
                .withControllerPort(FreePorts.take())
                .withDeleteLogDirsOnClose(false)
                .withAdditionalProperties(properties -> {
                    properties.put("log.dirs", logDir.toString());
                    properties.put("num.partitions", "3");
                    properties.put("group.initial.rebalance.delay.ms", "0");
                    properties.put("offsets.topic.num.partitions", "3");
                })
                .start();
    }

    /** Stops the embedded broker (its data stays), as a Kafka outage would. */
    public synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** Publishes one record and waits for the broker's acknowledgement. */
    public void publish(String topic, String key, String value) {
        publish(new ProducerRecord<>(topic, key, value));
    }

    /** Publishes one record, headers and all, and waits for the broker's acknowledgement. */
    public void publish(ProducerRecord<String, String> record) {
        String topic = record.topic();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(record).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /** Publishes an event as a producer's outbox relay would: keyed by aggregate, on its type's topic. */
    public void publish(EventEnvelope event) {
        publish(event.eventType().topic(), event.aggregateId(), EventCodec.encode(event));
    }

    /** Creates topics that do not exist yet (3 partitions, one replica). */
    public void createTopics(String... names) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = Arrays.stream(names).filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, 3, (short) 1)).toList();
            admin.createTopics(missing).all().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not create topics", e);
        }
    }

    /** The names of every topic of the cluster, internal ones aside. */
    public Set<String> topics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            return admin.listTopics().names().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not list topics", e);
        }
    }

    /**
     * Every record of a topic at this moment: the consumer is assigned all its partitions, takes their end offsets and
     * reads from the beginning up to them. A record published later is not included, so to wait for one, await a
     * condition on the result; to be sure something was published, look at the producer's effect (its outbox row).
     */
    public List<ConsumerRecord<String, String>> readAll(String topic) {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(partition -> new TopicPartition(topic, partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " up to " + ends);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    // a partition's records beyond the end offsets taken above are not part of this snapshot
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }

    /**
     * The offset the consumer group has committed on a partition, -1 if none: a consumer commits a record's offset
     * once it has processed it, so a test can wait for a record to have been consumed rather than for time to pass.
     */
    public long committedOffset(String groupId, String topic, int partition) {
        TopicPartition topicPartition = new TopicPartition(topic, partition);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get()
                    .get(topicPartition);
            return committed == null ? -1 : committed.offset();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not read the offsets of " + groupId, e);
        }
    }
}
