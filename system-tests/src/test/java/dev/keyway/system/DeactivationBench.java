package dev.keyway.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.Topics;
import dev.keyway.common.event.UserState;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import dev.keyway.testsupport.SamlIdp;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The events benchmark (run by hand: deploy/bench/deactivation-bench.sh), on the packaged services of
 * {@link KeywaySystem}, their own PostgreSQL and Kafka. Each figure is printed beside a baseline measured on the same
 * broker in the same run, and the ratio.
 * <ol>
 * <li>Deactivation: a SCIM PATCH {@code active=false} until sso-service refuses the user's session (GET /session,
 * every 2 ms, answers 401), one user at a time, idle and while 200 SCIM POST /Users per second flow (open loop); the
 * PATCH's own answer is timed apart. A request of a sample refused 503 is sent again after its Retry-After, as a SCIM
 * client does, and the time counts from the first. Baseline: Kafka's own end-to-end latency, one record produced
 * (acks=all) until a consumer has it.</li>
 * <li>Throughput: 100k directory events committed into scim-service's outbox at once, until the relay has published
 * them and sso-service has applied every one. Baseline: a producer sending as many records of the same size
 * (acks=all, idempotent, like the relay) as fast as it can.</li>
 * </ol>
 * Between phases it waits until the outbox is empty and sso-service's consumer has committed the log's end.
 */
class DeactivationBench {

    private static final int SAMPLES = Integer.getInteger("keyway.bench.samples", 200);
    private static final int WARM_UP = Integer.getInteger("keyway.bench.warm-up", 100);
    private static final int EVENTS = Integer.getInteger("keyway.bench.events", 100_000);
    private static final int WRITES_PER_SECOND = 200;
    /** On two cores a freshly started stack needs 60-70 s of load before the JIT has compiled its hot paths. */
    private static final int LOAD_WARM_UP_SECONDS = Integer.getInteger("keyway.bench.load-warm-up-seconds", 90);

    private final KeywaySystem system = KeywaySystem.get();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Requests of the samples (not of the load) that were refused 503 and sent again. */
    private final AtomicLong samplesRetried = new AtomicLong();

    private String slug;
    private String scimToken;
    private SamlIdp idp;
    private String acs;
    private String spEntityId;

    @Test
    void measure() throws Exception {
        assumeTrue(Boolean.getBoolean("keyway.bench"), "a benchmark: run by deploy/bench/deactivation-bench.sh");
        setUp();

        List<Long> kafka = kafkaEndToEnd(WARM_UP + SAMPLES).subList(WARM_UP, WARM_UP + SAMPLES);
        Collections.sort(kafka);
        // warm-up: the same path, not counted
        deactivations(WARM_UP, "warm");
        settle();
        Deactivations idle = deactivations(SAMPLES, "idle");
        settle();
        Deactivations loaded;
        long answered;
        long refused;
        double offered;
        long retriedIdle = samplesRetried.getAndSet(0);
        try (Load load = new Load()) {
            // warm-up under the load, not counted: deactivations until the JIT has caught up with the writes too
            long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_WARM_UP_SECONDS);
            while (System.nanoTime() < warmUntil) {
                deactivations(10, "warm-loaded");
            }
            samplesRetried.set(0);
            load.written.set(0);
            load.refused.set(0);
            long loadStart = System.nanoTime();
            loaded = deactivations(SAMPLES, "loaded");
            refused = load.refused.get();
            answered = load.written.get() + refused;
            offered = answered * 1e9 / (System.nanoTime() - loadStart);
        }
        settle();

        String sample = EventCodec.encode(bulkEvent(new OrgId(UUID.randomUUID()), 0));
        double producerRate = producerPerformance(EVENTS, sample.length());
        settle();
        double[] keyway = throughput(EVENTS);

        System.out.printf("""

                Events benchmark (warm-up: %d deactivations, Kafka probe %d records, %d s of deactivations under the
                load; not counted)
                  Kafka end-to-end (baseline)            p50 %6.1f ms   p99 %6.1f ms   (%d samples)
                  deactivation -> session refused, idle   p50 %6.1f ms   p99 %6.1f ms   p99 ratio %5.1fx Kafka
                    of which the PATCH's own answer       p50 %6.1f ms   p99 %6.1f ms
                  the same under %3.0f SCIM POST/s        p50 %6.1f ms   p99 %6.1f ms   p99 ratio %5.1fx Kafka
                    of which the PATCH's own answer       p50 %6.1f ms   p99 %6.1f ms
                    load: %d POSTs answered, %d of them refused 503; sample requests sent again after a 503: %d
                    (idle: %d)
                  Kafka producer, %d records of %d B (baseline)   %8.0f /s   %6.1f s
                  outbox -> Kafka (published)             %8.0f /s   %6.1f s
                  outbox -> Kafka -> sso-service applied  %8.0f /s   %6.1f s   ratio %4.2f of the producer
                %n""", WARM_UP, WARM_UP, LOAD_WARM_UP_SECONDS, ms(kafka, 50), ms(kafka, 99), SAMPLES,
                ms(idle.refused(), 50),
                ms(idle.refused(), 99), ms(idle.refused(), 99) / ms(kafka, 99), ms(idle.patched(), 50),
                ms(idle.patched(), 99), offered, ms(loaded.refused(), 50), ms(loaded.refused(), 99),
                ms(loaded.refused(), 99) / ms(kafka, 99), ms(loaded.patched(), 50), ms(loaded.patched(), 99),
                answered, refused, samplesRetried.get(), retriedIdle, EVENTS,
                sample.length(), producerRate, EVENTS / producerRate, EVENTS / keyway[0], keyway[0],
                EVENTS / keyway[1], keyway[1], EVENTS / keyway[1] / producerRate);
    }

    private void setUp() {
        slug = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        given().baseUri(system.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN).contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"displayName\":\"Bench\",\"region\":\"api\"}")
                .post("/admin/orgs").then().statusCode(201);
        String owner = given().baseUri(system.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .post("/admin/orgs/" + slug + "/owner-tokens").then().extract().path("token");
        idp = SamlIdp.create("https://sso.jumpcloud.com/saml2/" + slug);
        var saml = given().baseUri(system.sso().url()).auth().oauth2(owner).contentType("application/xml")
                .body(idp.metadata("https://sso.jumpcloud.com/saml2/" + slug, true))
                .put("/admin/orgs/" + slug + "/saml/idp").then().statusCode(200).extract();
        acs = saml.path("acsUrl");
        spEntityId = saml.path("spEntityId");
        scimToken = await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(system.scim().url())
                .auth().oauth2(owner).post("/admin/orgs/" + slug + "/scim/tokens"),
                response -> response.statusCode() == 201).path("token");
    }

    /** Each phase's samples, sorted: from the PATCH until the session is refused, and until the PATCH answered. */
    private record Deactivations(List<Long> refused, List<Long> patched) {
    }

    /** Each sample: a new user signs in, then is deactivated; the time until their session is refused. */
    private Deactivations deactivations(int samples, String phase) throws Exception {
        List<Long> nanos = new ArrayList<>(samples);
        List<Long> patchNanos = new ArrayList<>(samples);
        for (int i = 0; i < samples; i++) {
            String email = phase + i + "-" + UUID.randomUUID().toString().substring(0, 6) + "@" + slug + ".test";
            HttpResponse<String> created = sendAsClient(post(email));
            String id = created.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            String session = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> signIn(email), response -> response.statusCode() == 303)
                    .getCookie("keyway_session");
            HttpRequest check = HttpRequest.newBuilder(URI.create(system.sso().url() + "/session"))
                    .header("Cookie", "keyway_session=" + session).build();
            long start = System.nanoTime();
            HttpResponse<String> patched = sendAsClient(HttpRequest.newBuilder(URI.create(system.scim().url()
                    + "/scim/v2/Users/" + id)).header("Authorization", "Bearer " + scimToken)
                    .header("Content-Type", "application/scim+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(
                            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                                    + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}"))
                    .build());
            if (patched.statusCode() != 200) {
                throw new IllegalStateException("PATCH answered " + patched.statusCode() + ": " + patched.body());
            }
            patchNanos.add(System.nanoTime() - start);
            while (http.send(check, HttpResponse.BodyHandlers.discarding()).statusCode() != 401) {
                if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(30)) {
                    throw new IllegalStateException("the session of " + email + " still lives after 30 s");
                }
                // every 2 ms, not back to back: a probe spinning on sso-service (a query each) loaded the two cores
                // it measures
                TimeUnit.MILLISECONDS.sleep(2);
            }
            nanos.add(System.nanoTime() - start);
        }
        Collections.sort(nanos);
        Collections.sort(patchNanos);
        return new Deactivations(nanos, patchNanos);
    }

    private HttpRequest post(String userName) {
        return HttpRequest.newBuilder(URI.create(system.scim().url() + "/scim/v2/Users"))
                .header("Authorization", "Bearer " + scimToken).header("Content-Type", "application/scim+json")
                .POST(HttpRequest.BodyPublishers.ofString(newUser(userName))).build();
    }

    private static String newUser(String userName) {
        return "{\"userName\":\"" + userName + "\",\"emails\":[{\"value\":\"" + userName + "\",\"primary\":true}]}";
    }

    /**
     * The open loop of SCIM POSTs: one every {@code 1000 / WRITES_PER_SECOND} ms whatever the answers do. On a Vert.x
     * client of its own, which costs far less CPU than the JDK's, since it shares the two cores with what it loads.
     */
    private final class Load implements AutoCloseable {

        private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        final AtomicLong written = new AtomicLong();
        final AtomicLong refused = new AtomicLong();

        Load() {
            URI scim = URI.create(system.scim().url());
            io.vertx.core.http.HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(1024));
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(scim.getHost())
                    .setPort(scim.getPort()).setURI("/scim/v2/Users").addHeader("Authorization", "Bearer " + scimToken)
                    .addHeader("Content-Type", "application/scim+json");
            vertx.setPeriodic(1000 / WRITES_PER_SECOND, tick -> client.request(request)
                    .compose(sent -> sent.send(newUser("load-" + UUID.randomUUID() + "@" + slug + ".test")))
                    .compose(answer -> answer.body().map(ignored -> answer.statusCode()))
                    .onSuccess(status -> (status == 503 ? refused : written).incrementAndGet()));
        }

        @Override
        public void close() {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** As a SCIM client does: a 503 (an overloaded replica) is sent again after its Retry-After, and counted. */
    private HttpResponse<String> sendAsClient(HttpRequest request) throws Exception {
        while (true) {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 503) {
                return answer;
            }
            samplesRetried.incrementAndGet();
            TimeUnit.SECONDS.sleep(answer.headers().firstValueAsLong("Retry-After").orElse(1));
        }
    }

    private Response signIn(String email) {
        String xml = idp.response().to(acs, spEntityId).nameId(email, SamlIdp.NAMEID_EMAIL).xml();
        return given().baseUri(system.sso().url()).redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("SAMLResponse", Base64.getEncoder().encodeToString(xml.getBytes()))
                .post("/saml/" + slug + "/acs");
    }

    /** Kafka's own end-to-end latency: one record at a time, produced with acks=all, until the consumer has it. */
    private List<Long> kafkaEndToEnd(int samples) throws Exception {
        String topic = "bench.e2e." + UUID.randomUUID();
        createTopic(topic);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = producer(0);
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            List<Long> nanos = new ArrayList<>(samples);
            String value = "x".repeat(600);
            for (int i = 0; i < samples; i++) {
                long start = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, "k", value)).get();
                int seen = 0;
                while (seen == 0) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(5));
                    seen = records.count();
                }
                nanos.add(System.nanoTime() - start);
            }
            return nanos;
        }
    }

    /** Kafka's producer rate for {@code count} records of {@code size} bytes, acks=all and idempotent as the relay. */
    private double producerPerformance(int count, int size) throws Exception {
        String topic = "bench.producer." + UUID.randomUUID();
        createTopic(topic);
        String value = "x".repeat(size);
        try (KafkaProducer<String, String> producer = producer(5)) {
            producer.send(new ProducerRecord<>(topic, "warm", value)).get();
            long start = System.nanoTime();
            List<Future<RecordMetadata>> acks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, UUID.randomUUID().toString(), value)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
            return count * 1e9 / (System.nanoTime() - start);
        }
    }

    /**
     * {@code count} user events committed into scim-service's outbox in one transaction (as many SCIM writes would
     * leave them), then the seconds until the outbox is empty (all published) and until sso-service has applied all.
     */
    private double[] throughput(int count) throws SQLException {
        OrgId org = new OrgId(UUID.fromString(given().baseUri(system.sso().url())
                .auth().oauth2(KeywaySystem.OPERATOR_TOKEN).contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "-bulk\",\"displayName\":\"Bulk\",\"region\":\"api\"}")
                .post("/admin/orgs").then().statusCode(201).extract().path("id")));
        long start;
        try (Connection db = TestPostgres.get().connect()) {
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement("insert into scim.outbox (event_id, topic, "
                    + "event_type, aggregate_id, payload) values (?::uuid, ?, ?, ?, ?)")) {
                for (int i = 0; i < count; i++) {
                    EventEnvelope event = bulkEvent(org, i);
                    insert.setString(1, event.id().toString());
                    insert.setString(2, Topics.DIRECTORY);
                    insert.setString(3, event.type());
                    insert.setString(4, event.aggregateId());
                    insert.setString(5, EventCodec.encode(event));
                    insert.addBatch();
                    if (i % 5_000 == 4_999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            db.commit();
            start = System.nanoTime();
        }
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> TestPostgres.get().count("select count(*) from scim.outbox") == 0);
        double published = (System.nanoTime() - start) / 1e9;
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> TestPostgres.get().count("select count(*) from sso.login_user where org_id = ?::uuid",
                        org.value().toString()) == count);
        double applied = (System.nanoTime() - start) / 1e9;
        return new double[]{ published, applied };
    }

    private static EventEnvelope bulkEvent(OrgId org, int i) {
        UUID id = UUID.randomUUID();
        String email = "bulk" + i + "@" + org.value() + ".test";
        return EventEnvelope.of(EventType.USER_UPSERTED, org, Region.API, id.toString(), 1,
                new UserState(id, email, null, "Ada", "Lovelace", "Ada Lovelace", email, true, "Engineer", null,
                        null, List.of()));
    }

    /** Waits until scim-service's outbox is empty and sso-service has committed the end of the directory topic. */
    private static void settle() {
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> TestPostgres.get()
                .count("select count(*) from scim.outbox") == 0 && lag("sso-service", Topics.DIRECTORY) == 0);
    }

    private static long lag(String group, String topic) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.get().bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            long lag = 0;
            for (var end : admin.listOffsets(ends).all().get().entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                lag += end.getValue().offset() - (at == null ? 0 : at.offset());
            }
            return lag;
        }
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.get().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    private static KafkaProducer<String, String> producer(int lingerMs) {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    private static double ms(List<Long> sortedNanos, int percent) {
        int index = Math.min(sortedNanos.size() - 1, (int) Math.ceil(percent / 100.0 * sortedNanos.size()) - 1);
        return sortedNanos.get(index) / 1e6;
    }
}
