package dev.keyway.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.awaitility.core.ConditionTimeoutException;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.keyway.testsupport.JumpCloudStandIn;
import dev.keyway.testsupport.JumpCloudStandIn.Org;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The SaaS's app receiving the directory's events by push while SCIM and a directory import change thousands of
 * users, and its endpoint first fails, then hangs (every POST times out), then recovers: every change arrives, each
 * user's in order, no jti is applied twice, and the app's copy equals the user store at the end.
 */
class SetEventsIT {

    private static final Logger LOG = Logger.getLogger(SetEventsIT.class);
    private static final String PATCH = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":";
    private static final int SCIM_USERS = Integer.getInteger("keyway.it.scim-users", 1000);
    private static final int IMPORTED_USERS = Integer.getInteger("keyway.it.imported-users", 1000);

    private final KeywaySystem system = KeywaySystem.get();

    /** The app: verifies, de-duplicates by jti, applies per user in sequence order, keeps a copy of the users. */
    static final class App {

        enum Mode {
            FAIL,
            HANG,
            SERVE
        }

        private final HttpServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(96);
        private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.FAIL);
        private final CountDownLatch released = new CountDownLatch(1);
        private final JWKSet keys;
        final Set<String> applied = ConcurrentHashMap.newKeySet();
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger outOfOrder = new AtomicInteger();
        final Map<String, Long> lastSequence = new ConcurrentHashMap<>();
        final Map<String, Map<String, Object>> users = new ConcurrentHashMap<>();

        App(JWKSet keys) throws IOException {
            this.keys = keys;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
            server.setExecutor(threads);
            server.createContext("/sets", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/sets";
        }

        void mode(Mode next) {
            mode.set(next);
            if (next == Mode.SERVE) {
                released.countDown();
            }
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (InputStream body = exchange.getRequestBody()) {
                String raw = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                Mode now = mode.get();
                if (now == Mode.FAIL) {
                    refused.incrementAndGet();
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                if (now == Mode.HANG) {
                    // a hung app: the answer comes long after Keyway gave up (and then applies the SET late)
                    released.await(5, TimeUnit.MINUTES);
                }
                apply(SignedJWT.parse(raw));
                exchange.sendResponseHeaders(202, -1);
            } catch (ParseException | InterruptedException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        }

        @SuppressWarnings("unchecked")
        private synchronized void apply(SignedJWT set) throws ParseException {
            try {
                RSAKey key = (RSAKey) keys.getKeyByKeyId(set.getHeader().getKeyID());
                if (key == null || !set.verify(new RSASSAVerifier(key))) {
                    throw new IllegalStateException("a SET that does not verify");
                }
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            JWTClaimsSet claims = set.getJWTClaimsSet();
            if (!applied.add(claims.getJWTID())) {
                duplicates.incrementAndGet();
                return;
            }
            String subject = (String) claims.getJSONObjectClaim("sub_id").get("uri");
            long sequence = claims.getLongClaim("sequence");
            Long last = lastSequence.put(subject, sequence);
            if (last == null ? sequence != 1 : sequence != last + 1) {
                outOfOrder.incrementAndGet();
            }
            if (!subject.startsWith("/Users/")) {
                return;
            }
            String id = subject.substring("/Users/".length());
            Map<String, Object> events = claims.getJSONObjectClaim("events");
            for (String type : List.of("urn:ietf:params:scim:event:prov:create:full",
                    "urn:ietf:params:scim:event:prov:put:full")) {
                if (events.containsKey(type)) {
                    users.put(id, (Map<String, Object>) ((Map<String, Object>) events.get(type)).get("data"));
                }
            }
            if (events.containsKey("urn:ietf:params:scim:event:prov:delete")) {
                users.remove(id);
            }
        }

        void close() {
            released.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    @Test
    void everyChangeArrivesInOrderOnceAndTheAppsCopyEqualsTheStore() throws Exception {
        String slug = "set-events-" + UUID.randomUUID().toString().substring(0, 8);
        String orgId = given().baseUri(system.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .contentType(ContentType.JSON).body(Map.of("slug", slug, "displayName", "Events", "region", "api"))
                .post("/admin/orgs").then().statusCode(201).extract().path("id");
        String owner = given().baseUri(system.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .post("/admin/orgs/" + slug + "/owner-tokens").then().extract().path("token");
        String scimToken = await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(system.scim().url())
                .auth().oauth2(owner).post("/admin/orgs/" + slug + "/scim/tokens"),
                response -> response.statusCode() == 201).path("token");
        RequestSpecification scim = given().baseUri(system.scim().url()).basePath("/scim/v2").auth().oauth2(scimToken)
                .contentType("application/scim+json");

        JWKSet keys = JWKSet.parse(given().baseUri(system.scim().url()).get("/events/jwks.json").then()
                .statusCode(200).extract().asString());
        App app = new App(keys);
        try {
            given().baseUri(system.scim().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", slug, "mode", "push", "url", app.url(), "organizations", List.of(orgId)))
                    .post("/admin/event-receivers").then().statusCode(201);
            long started = System.nanoTime();

            // the directory import: JumpCloud users in a group, imported into the store
            JumpCloudStandIn jumpcloud = JumpCloudStandIn.us();
            Org directory = jumpcloud.newOrganization(slug);
            String staff = directory.addGroup("Staff");
            List<String> imported = new ArrayList<>();
            for (int i = 0; i < IMPORTED_USERS; i++) {
                String user = directory.addUser("imp" + i, "imp" + i + "@" + slug + ".test", "Imp", "User " + i);
                directory.addMember(staff, user);
                imported.add(user);
            }
            RequestSpecification imports = given().baseUri(system.imports().url()).auth().oauth2(owner)
                    .contentType(ContentType.JSON).basePath("/admin/orgs/" + slug + "/imports");
            String integration = await().atMost(Duration.ofSeconds(30)).until(() -> given().spec(imports)
                    .body(Map.of("name", "JumpCloud", "apiKey", jumpcloud.adminKey(directory), "dataCenter", "us",
                            "enabled", false, "groups", List.of(Map.of("jumpcloudGroupId", staff,
                                    "targetGroup", "Everyone"))))
                    .post(), response -> response.statusCode() == 201).path("id");
            runNow(imports, integration);
            LOG.infof("SetEventsIT: first import done after %d ms", elapsed(started));

            // SCIM writes, 8 at a time as a provisioning client sends them; the app fails all the while (a parallel
            // stream runs in the pool it is started from, so these 8 threads are the clients)
            ForkJoinPool clients = new ForkJoinPool(8);
            List<String> scimUsers;
            try {
                scimUsers = clients.submit(() -> IntStream.range(0, SCIM_USERS).parallel()
                        .mapToObj(i -> given().spec(scim).body("{\"userName\":\"scim" + i + "@" + slug
                                + ".test\",\"name\":{\"givenName\":\"Scim\",\"familyName\":\"User " + i + "\"}}")
                                .post("/Users").then().statusCode(201).extract().<String>path("id"))
                        .toList()).get();
                LOG.infof("SetEventsIT: SCIM users created after %d ms", elapsed(started));
                app.mode(App.Mode.HANG);
                clients.submit(() -> IntStream.range(0, SCIM_USERS).parallel().forEach(i -> {
                    String id = scimUsers.get(i);
                    if (i % 3 == 0) {
                        given().spec(scim).body(PATCH + "[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}")
                                .patch("/Users/" + id).then().statusCode(200);
                    } else if (i % 3 == 1) {
                        given().spec(scim).body(PATCH + "[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":"
                                + "\"Renamed " + i + "\"}]}").patch("/Users/" + id).then().statusCode(200);
                        given().spec(scim).body(PATCH + "[{\"op\":\"replace\",\"path\":\"title\",\"value\":"
                                + "\"Title " + i + "\"}]}").patch("/Users/" + id).then().statusCode(200);
                    } else if (i % 9 == 2) {
                        given().spec(scim).delete("/Users/" + id).then().statusCode(204);
                    }
                })).get();
            } finally {
                clients.shutdown();
            }
            LOG.infof("SetEventsIT: SCIM changes done after %d ms", elapsed(started));
            // the import again: a third of its users suspended in JumpCloud
            for (int i = 0; i < IMPORTED_USERS; i += 3) {
                directory.suspend(imported.get(i));
            }
            runNow(imports, integration);
            LOG.infof("SetEventsIT: writes done after %d ms; the app recovers", elapsed(started));
            app.mode(App.Mode.SERVE);

            // the store is complete once scim-service has applied every imported user (they reach it through Kafka,
            // after the run has succeeded), and only then is the app's copy compared with it
            int expectedUsers = SCIM_USERS - SCIM_USERS / 9 - (SCIM_USERS % 9 > 2 ? 1 : 0) + IMPORTED_USERS;
            Map<String, Map<String, Object>> store;
            try {
                store = await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> listAll(scim), all -> all.size() == expectedUsers
                                && all.keySet().equals(app.users.keySet())
                                && all.entrySet().stream().allMatch(entry -> same(entry.getValue(),
                                        app.users.get(entry.getKey()))));
            } catch (ConditionTimeoutException e) {
                Map<String, Map<String, Object>> all = listAll(scim);
                List<String> differing = all.keySet().stream()
                        .filter(id -> !same(all.get(id), app.users.get(id))).limit(3).toList();
                throw new AssertionError("the app's copy differs: store " + all.size() + " of " + expectedUsers
                        + ", app " + app.users.size()
                        + ", applied " + app.applied.size() + ", e.g. " + differing.stream()
                                .map(id -> all.get(id) + " vs " + app.users.get(id)).toList()
                        + "; receiver " + given().baseUri(system.scim().url())
                                .auth().oauth2(KeywaySystem.OPERATOR_TOKEN).get("/admin/event-receivers").asString(),
                        e);
            }
            LOG.infof("SetEventsIT: %d users, %d SETs applied, %d duplicates ignored, %d refusals; %d ms",
                    store.size(), app.applied.size(), app.duplicates.get(), app.refused.get(), elapsed(started));
            assertEquals(0, app.outOfOrder.get(), "each resource's SETs were applied in sequence order, none missing");
            assertTrue(app.refused.get() > 0, "the app did fail for a while");
            long inactive = store.values().stream().filter(user -> Boolean.FALSE.equals(user.get("active"))).count();
            assertTrue(inactive > 0);
        } finally {
            app.close();
        }
    }

    private static boolean same(Map<String, Object> store, Map<String, Object> copy) {
        if (copy == null) {
            return false;
        }
        for (String attribute : List.of("userName", "active", "displayName", "title", "name")) {
            if (!String.valueOf(store.get(attribute)).equals(String.valueOf(copy.get(attribute)))) {
                return false;
            }
        }
        return true;
    }

    /** The store as a rebuilding app lists it: a cursor listing of every user. */
    private static Map<String, Map<String, Object>> listAll(RequestSpecification scim) {
        Map<String, Map<String, Object>> all = new HashMap<>();
        String cursor = "";
        while (cursor != null) {
            var page = given().spec(scim).queryParam("cursor", cursor).queryParam("count", 1000).get("/Users")
                    .then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> resources = page.getList("Resources");
            resources.forEach(user -> all.put((String) user.get("id"), user));
            cursor = page.getString("nextCursor");
        }
        return all;
    }

    private static void runNow(RequestSpecification imports, String integration) {
        String run = given().spec(imports).post("/" + integration + "/runs").then().statusCode(202).extract()
                .path("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> given().spec(imports)
                .get("/" + integration + "/runs/" + run).then().extract().path("status"), "succeeded"::equals);
    }

    private static long elapsed(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
