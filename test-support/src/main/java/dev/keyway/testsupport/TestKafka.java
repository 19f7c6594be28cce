package dev.keyway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;

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
    private static final List<java.util.logging.Logger> QUIET = java.util.stream.Stream
            .of("kafka", "org.apache.kafka", "state.change.logger")
            .map(java.util.logging.Logger::getLogger)
            .peek(logger -> logger.setLevel(java.util.logging.Level.WARNING))
            .toList();

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
            broker = new TestKafka(null, freePort(), Files.createTempDirectory("keyway-kafka-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop));
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
                .withControllerPort(freePort())
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
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer =
                new org.apache.kafka.clients.producer.KafkaProducer<>(
                        Map.of(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers()),
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /** Publishes an event as a producer's outbox relay would: keyed by aggregate, on its type's topic. */
    public void publish(dev.keyway.common.event.EventEnvelope event) {
        publish(event.eventType().topic(), event.aggregateId(), dev.keyway.common.event.EventCodec.encode(event));
    }

    /** Creates topics that do not exist yet (3 partitions, one replica). */
    public void createTopics(String... names) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = java.util.Arrays.stream(names).filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, 3, (short) 1)).toList();
            admin.createTopics(missing).all().get();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not create topics", e);
        }
    }

    /** The names of every topic of the cluster, internal ones aside. */
    public Set<String> topics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            return admin.listTopics().names().get();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not list topics", e);
        }
    }

    /** Reads every record of a topic from the beginning until {@code wait} passes without a new one. */
    public List<ConsumerRecord<String, String>> readAll(String topic, Duration wait) {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long quietUntil = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < quietUntil) {
                var batch = consumer.poll(Duration.ofMillis(200));
                if (!batch.isEmpty()) {
                    batch.forEach(records::add);
                    quietUntil = System.nanoTime() + wait.toNanos();
                }
            }
        }
        return records;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
