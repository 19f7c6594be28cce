package dev.keyway.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.keyway.common.event.Topics;
import dev.keyway.testsupport.TestKafka;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The directory-events benchmark (run by hand: deploy/bench/events-bench.sh), on the packaged services of
 * {@link KeywaySystem}, so it needs no ports of the local stack. One fast endpoint (answers 202 at once) receives the
 * SETs of one organization while 8 SCIM clients create users as fast as they can. Measured in the same run:
 * <ul>
 * <li>the lag from each POST /Users answer to its SET's arrival at the endpoint (p50, p99), and beside it the outbox's
 * own lag from the same answer to the event's Kafka record (its producer timestamp), and the rates of both;</li>
 * <li>the drain rate: SETs per second to the endpoint from a backlog (the receiver paused during the writes).</li>
 * </ul>
 * Before them, not counted, a third organization writes as many users and receives their SETs: the warm-up.
 */
class SetEventsBench {

    private static final int USERS = Integer.getInteger("keyway.bench.users", 3000);

    private final KeywaySystem system = KeywaySystem.get();

    /** Records when each user's first SET arrived. */
    static final class FastEndpoint implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(64);
        final Map<String, Long> arrivals = new ConcurrentHashMap<>();
        final List<Long> times = Collections.synchronizedList(new ArrayList<>());

        FastEndpoint() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
            server.setExecutor(threads);
            server.createContext("/sets", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/sets";
        }

        private void handle(HttpExchange exchange) throws IOException {
            long now = System.currentTimeMillis();
            try (InputStream body = exchange.getRequestBody()) {
                SignedJWT set = SignedJWT.parse(new String(body.readAllBytes(), StandardCharsets.UTF_8));
                String subject = (String) set.getJWTClaimsSet().getJSONObjectClaim("sub_id").get("uri");
                arrivals.putIfAbsent(subject.substring(subject.lastIndexOf('/') + 1), now);
                times.add(now);
                exchange.sendResponseHeaders(202, -1);
            } catch (ParseException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    @Test
    void measure() throws Exception {
        assumeTrue(Boolean.getBoolean("keyway.bench"), "a benchmark: run by deploy/bench/events-bench.sh");
        Org warm = org("bench-warm");
        Org live = org("bench-live");
        Org backlog = org("bench-backlog");
        try (FastEndpoint warming = new FastEndpoint();
                FastEndpoint endpoint = new FastEndpoint();
                FastEndpoint drained = new FastEndpoint()) {
            // 0. warm-up, not counted: the same writes and deliveries once, so the JIT has compiled both paths (on
            // two cores a fresh service takes about a minute of load to) before the live phase measures them
            register(warm, warming);
            Map<String, Long> warmed = new ConcurrentHashMap<>();
            write(warm, warmed);
            await().atMost(Duration.ofMinutes(10)).until(() -> warming.arrivals.keySet().containsAll(warmed.keySet()));
            register(live, endpoint);
            String paused = register(backlog, drained);
            operator().post("/admin/event-receivers/" + paused + "/pause").then().statusCode(200);

            // 1. live: write as fast as 8 clients can; the SETs follow
            Map<String, Long> written = new ConcurrentHashMap<>();
            long start = System.currentTimeMillis();
            write(live, written);
            long writesDone = System.currentTimeMillis();
            await().atMost(Duration.ofMinutes(10))
                    .until(() -> endpoint.arrivals.keySet().containsAll(written.keySet()));
            List<Long> setLags = lags(written, endpoint.arrivals);
            Map<String, Long> published = new ConcurrentHashMap<>();
            await().atMost(Duration.ofMinutes(5)).until(() -> {
                Set<String> ids = written.keySet();
                for (ConsumerRecord<String, String> record : TestKafka.get().readAll(Topics.DIRECTORY)) {
                    if (ids.contains(record.key())) {
                        published.putIfAbsent(record.key(), record.timestamp());
                    }
                }
                return published.keySet().containsAll(ids);
            });
            List<Long> outboxLags = lags(written, published);
            double writeRate = USERS * 1000.0 / (writesDone - start);
            double setRate = USERS * 1000.0 / (Collections.max(endpoint.arrivals.values()) - start);
            double outboxRate = USERS * 1000.0 / (Collections.max(published.values()) - start);

            // 2. backlog: the paused receiver holds USERS SETs; resumed, how fast do they drain?
            Map<String, Long> ignored = new ConcurrentHashMap<>();
            write(backlog, ignored);
            long resumed = System.currentTimeMillis();
            operator().post("/admin/event-receivers/" + paused + "/resume").then().statusCode(200);
            await().atMost(Duration.ofMinutes(10)).until(() -> drained.times.size() >= USERS);
            double drainRate = USERS * 1000.0 / (Collections.max(drained.times) - resumed);

            System.out.printf("""

                    Directory events benchmark, %d users a phase after a warm-up of as many, 8 SCIM clients
                      SCIM POST /Users                          %8.0f /s
                      outbox → Kafka  (baseline)  rate %8.0f /s   lag p50 %6d ms   p99 %6d ms
                      SET → endpoint (live)       rate %8.0f /s   lag p50 %6d ms   p99 %6d ms
                      SET → endpoint (backlog drain)    %8.0f /s
                    %n""", USERS, writeRate, outboxRate, percentile(outboxLags, 50), percentile(outboxLags, 99),
                    setRate, percentile(setLags, 50), percentile(setLags, 99), drainRate);
        }
    }

    private record Org(String slug, String id, RequestSpecification scim) {
    }

    private Org org(String prefix) {
        String slug = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String id = given().baseUri(system.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .contentType(ContentType.JSON).body(Map.of("slug", slug, "displayName", prefix, "region", "api"))
                .post("/admin/orgs").then().statusCode(201).extract().path("id");
        String owner = given().baseUri(system.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .post("/admin/orgs/" + slug + "/owner-tokens").then().extract().path("token");
        String token = await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(system.scim().url())
                .auth().oauth2(owner).post("/admin/orgs/" + slug + "/scim/tokens"),
                response -> response.statusCode() == 201).path("token");
        return new Org(slug, id, given().baseUri(system.scim().url()).basePath("/scim/v2").auth().oauth2(token)
                .contentType("application/scim+json"));
    }

    private RequestSpecification operator() {
        return given().baseUri(system.scim().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .contentType(ContentType.JSON);
    }

    private String register(Org org, FastEndpoint endpoint) {
        return operator().body(Map.of("name", org.slug(), "mode", "push", "url", endpoint.url(), "organizations",
                List.of(org.id()))).post("/admin/event-receivers").then().statusCode(201).extract().path("id");
    }

    private static void write(Org org, Map<String, Long> written) throws Exception {
        // a parallel stream runs in the pool it is started from: these 8 threads are the clients
        ForkJoinPool clients = new ForkJoinPool(8);
        try {
            clients.submit(() -> IntStream.range(0, USERS).parallel().forEach(i -> {
                String id = given().spec(org.scim()).body("{\"userName\":\"u" + i + "@" + org.slug() + ".test\"}")
                        .post("/Users").then().statusCode(201).extract().path("id");
                written.put(id, System.currentTimeMillis());
            })).get();
        } finally {
            clients.shutdown();
        }
    }

    private static List<Long> lags(Map<String, Long> written, Map<String, Long> arrived) {
        List<Long> lags = new ArrayList<>();
        written.forEach((id, at) -> lags.add(Math.max(0, arrived.get(id) - at)));
        Collections.sort(lags);
        return lags;
    }

    private static long percentile(List<Long> sorted, int percent) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }
}
