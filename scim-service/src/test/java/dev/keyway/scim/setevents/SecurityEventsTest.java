package dev.keyway.scim.setevents;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.keyway.scim.ScimOrg;
import dev.keyway.scim.receivers.PushDelivery;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Directory events as an app receives them: signed, complete, in order per user, by push or by poll. */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class SecurityEventsTest {

    private static final String OPERATOR = "test-operator-token";
    private static final String PATCH = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":";

    private static RequestSpecification operator() {
        return given().auth().oauth2(OPERATOR).contentType(ContentType.JSON);
    }

    private static String pushReceiver(String name, ScimOrg org, TestReceiver receiver, String auth) {
        return operator().body("""
                {"name":"%s","mode":"push","url":"%s","organizations":["%s"]%s}"""
                .formatted(name, receiver.url(), org.org().id().value(), auth == null ? "" : ",\"auth\":" + auth))
                .post("/admin/event-receivers").then().statusCode(201).extract().path("id");
    }

    private static String createUser(ScimOrg org, String userName) {
        return org.scim().body("{\"userName\":\"" + userName + "\",\"externalId\":\"x-" + userName + "\"}")
                .post("/Users").then().statusCode(201).extract().path("id");
    }

    private static void rename(ScimOrg org, String id, String displayName) {
        org.scim().body(PATCH + "[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"" + displayName + "\"}]}")
                .patch("/Users/" + id).then().statusCode(200);
    }

    @Test
    void setsAreSignedWithThePublishedKeysAndCarryTheUsersState() throws Exception {
        ScimOrg org = ScimOrg.create("set-signed");
        try (TestReceiver receiver = new TestReceiver()) {
            pushReceiver("signed-" + org.slug(), org, receiver,
                    "{\"type\":\"hmac\",\"secret\":\"a-shared-secret-of-the-app\"}");
            String id = createUser(org, "signed@acme.test");
            org.scim().body(PATCH + "[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}")
                    .patch("/Users/" + id).then().statusCode(200);
            org.scim().delete("/Users/" + id).then().statusCode(204);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.of("/Users/" + id).size() == 3);

            JWKSet keys = JWKSet.parse(given().get("/events/jwks.json").then().statusCode(200).extract().asString());
            List<TestReceiver.Received> sets = receiver.of("/Users/" + id);
            for (TestReceiver.Received received : sets) {
                SignedJWT set = received.set();
                assertEquals(JWSAlgorithm.RS256, set.getHeader().getAlgorithm());
                assertEquals(new JOSEObjectType("secevent+jwt"), set.getHeader().getType());
                RSAKey key = (RSAKey) keys.getKeyByKeyId(set.getHeader().getKeyID());
                assertNotNull(key, "signed by a published key");
                assertFalse(key.isPrivate(), "the JWKS holds public halves only");
                assertTrue(set.verify(new RSASSAVerifier(key)), "the signature verifies");
                assertEquals("sha256=" + PushDelivery.hmac("a-shared-secret-of-the-app",
                        received.raw()), received.headers().get("X-keyway-signature").get(0));
            }
            JWTClaimsSet created = sets.get(0).set().getJWTClaimsSet();
            assertEquals(List.of(receiver.url()), created.getAudience());
            assertNotNull(created.getIssuer());
            assertNotNull(created.getStringClaim("txn"));
            assertEquals(org.org().id().value().toString(), created.getStringClaim("org_id"));
            assertEquals(Map.of("format", "scim", "uri", "/Users/" + id, "externalId", "x-signed@acme.test"),
                    created.getJSONObjectClaim("sub_id"));
            Map<String, Object> events = created.getJSONObjectClaim("events");
            assertEquals(Set.of(ScimEventUris.CREATE_FULL), events.keySet());
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) events
                    .get(ScimEventUris.CREATE_FULL)).get("data");
            assertEquals("signed@acme.test", data.get("userName"));
            assertEquals(true, data.get("active"));

            assertEquals(Set.of(ScimEventUris.PUT_FULL, ScimEventUris.DEACTIVATE),
                    sets.get(1).set().getJWTClaimsSet().getJSONObjectClaim("events").keySet());
            assertEquals(Set.of(ScimEventUris.DELETE),
                    sets.get(2).set().getJWTClaimsSet().getJSONObjectClaim("events").keySet());
            assertEquals(List.of(1L, 2L, 3L), sets.stream().map(TestReceiver.Received::sequence).toList());
            assertEquals(3, sets.stream().map(TestReceiver.Received::jti).distinct().count());
        }
    }

    @Test
    void aUsersLaterEventsWaitForItsFailingOneWhileOtherUsersGoOn() throws Exception {
        ScimOrg org = ScimOrg.create("set-order");
        try (TestReceiver receiver = new TestReceiver()) {
            String receiverId = pushReceiver("order-" + org.slug(), org, receiver, null);
            String stuck = createUser(org, "stuck@acme.test");
            String flowing = createUser(org, "flowing@acme.test");
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received.size() == 2);

            receiver.refuse(subject -> subject.equals("/Users/" + stuck));
            for (int i = 1; i <= 3; i++) {
                rename(org, stuck, "Stuck " + i);
                rename(org, flowing, "Flowing " + i);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.of("/Users/" + flowing).size() == 4
                    && receiver.refusals.getOrDefault("/Users/" + stuck, 0) >= 2);
            assertEquals(1, receiver.of("/Users/" + stuck).size(), "nothing after the failing SET went out");
            operator().get("/admin/event-receivers/" + receiverId).then().statusCode(200)
                    .body("paused", equalTo(false))
                    .body("backlog", equalTo(3))
                    .body("lastError", containsString("HTTP 500"));

            receiver.refuse(subject -> false);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.of("/Users/" + stuck).size() == 4);
            assertEquals(List.of(1L, 2L, 3L, 4L),
                    receiver.of("/Users/" + stuck).stream().map(TestReceiver.Received::sequence).toList());
            assertEquals(List.of(1L, 2L, 3L, 4L),
                    receiver.of("/Users/" + flowing).stream().map(TestReceiver.Received::sequence).toList());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> operator()
                    .get("/admin/event-receivers/" + receiverId).then().body("backlog", equalTo(0)));
        }
    }

    @Test
    void setsAreNeverPushedToAnInternalAddressAndEachRefusalIsAFailedAttempt() throws Exception {
        ScimOrg org = ScimOrg.create("set-internal");
        operator().body("{\"name\":\"meta\",\"mode\":\"push\",\"url\":\"http://169.254.169.254/latest\","
                + "\"organizations\":[\"" + org.org().id().value() + "\"]}").post("/admin/event-receivers").then()
                .statusCode(400).contentType(containsString("application/problem+json"))
                .body("detail", containsString("169.254.169.254"));

        // an internal app (127.0.0.2 here, outside the allowed 127.0.0.1/32) that would acknowledge every SET
        try (TestReceiver allowed = new TestReceiver(); TestReceiver internal = new TestReceiver("127.0.0.2")) {
            String receiverId = pushReceiver("internal-" + org.slug(), org, allowed, null);
            // what a registered name resolving to an internal address comes to (a name is only checked at delivery)
            TestPostgres.get().execute("update scim.event_receiver set url = '" + internal.url() + "' where id = '"
                    + receiverId + "'");
            createUser(org, "internal@acme.test");

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> operator()
                    .get("/admin/event-receivers/" + receiverId).then().statusCode(200)
                    .body("backlog", equalTo(1))
                    .body("lastError", containsString("127.0.0.2"))
                    .body("lastError", containsString("not allowed")));
            assertTrue(internal.received.isEmpty(), "nothing reached the internal address");
            assertTrue(allowed.received.isEmpty());
        }
    }

    @Test
    void anOperatorPausesResumesAndReplays() throws Exception {
        ScimOrg org = ScimOrg.create("set-replay");
        try (TestReceiver receiver = new TestReceiver()) {
            String receiverId = pushReceiver("replay-" + org.slug(), org, receiver, null);
            Instant before = Instant.now().minusSeconds(1);
            String id = createUser(org, "replayed@acme.test");
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received.size() == 1);

            operator().post("/admin/event-receivers/" + receiverId + "/pause").then().statusCode(200)
                    .body("paused", equalTo(true)).body("pauseReason", equalTo("paused by the operator"));
            rename(org, id, "While paused");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> operator()
                    .get("/admin/event-receivers/" + receiverId).then().body("backlog", equalTo(1)));
            assertEquals(1, receiver.received.size(), "a paused receiver gets nothing");

            operator().post("/admin/event-receivers/" + receiverId + "/resume").then().statusCode(200)
                    .body("paused", equalTo(false));
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received.size() == 2);

            operator().body("{\"from\":\"" + before + "\"}").post("/admin/event-receivers/" + receiverId + "/replay")
                    .then().statusCode(200).body("queued", equalTo(2));
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received.size() == 4);
            List<String> jtis = receiver.received.stream().map(TestReceiver.Received::jti).toList();
            assertEquals(jtis.subList(0, 2), jtis.subList(2, 4), "the same SETs again, in order: same jti");
        }
    }

    @Test
    void anAppWithoutAnEndpointPollsAndAcknowledges() throws Exception {
        ScimOrg org = ScimOrg.create("set-poll");
        String token = operator().body("""
                {"name":"poll-%s","mode":"poll","organizations":["%s"],
                 "eventTypes":["urn:ietf:params:scim:event:prov:create:full"]}""".formatted(org.slug(),
                org.org().id().value()))
                .post("/admin/event-receivers").then().statusCode(201).extract().path("pollToken");
        String id = createUser(org, "polled@acme.test");
        rename(org, id, "Not a create");

        Map<String, String> sets = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"maxEvents\":10,\"returnImmediately\":true}").post("/events/poll")
                .then().statusCode(200).body("moreAvailable", equalTo(false)).extract().path("sets");
        assertEquals(1, sets.size(), "only the event types it asked for");
        String jti = sets.keySet().iterator().next();
        JWKSet keys = JWKSet.parse(given().get("/events/jwks.json").asString());
        SignedJWT set = SignedJWT.parse(sets.get(jti));
        assertTrue(set.verify(new RSASSAVerifier((RSAKey) keys.getKeyByKeyId(set.getHeader().getKeyID()))));
        assertEquals(jti, set.getJWTClaimsSet().getJWTID());

        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"maxEvents\":10}").post("/events/poll")
                .then().statusCode(200).body("sets." + jti, equalTo(sets.get(jti)));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"ack\":[\"" + jti + "\"],\"maxEvents\":10}").post("/events/poll")
                .then().statusCode(200).body("sets.size()", equalTo(0));

        given().contentType(ContentType.JSON).body("{}").post("/events/poll").then().statusCode(401);
        given().auth().oauth2("kwe_not-a-token").contentType(ContentType.JSON).body("{}").post("/events/poll")
                .then().statusCode(401);
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body("{}").post("/events/poll")
                .then().statusCode(401);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"maxEvents\":-1}").post("/events/poll")
                .then().statusCode(400).contentType(containsString("application/problem+json"));
        given().auth().oauth2(token).get("/admin/event-receivers").then().statusCode(401);
    }

    @Test
    void usersAndGroupsListWithACursorStableUnderWrites() {
        ScimOrg org = ScimOrg.create("set-cursor");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(createUser(org, "cursor" + i + "@acme.test"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        while (cursor != null) {
            var page = org.scim().queryParam("cursor", cursor).queryParam("count", 2).get("/Users")
                    .then().statusCode(200).body("totalResults", equalTo(5 + pages)).extract();
            seen.addAll(page.path("Resources.id"));
            assertNull(page.path("startIndex"));
            cursor = page.path("nextCursor");
            // a user created mid-listing changes the total but not the pages already listed
            createUser(org, "later" + pages + "@acme.test");
            pages++;
        }
        assertEquals(new HashSet<>(seen).size(), seen.size(), "no user listed twice");
        assertTrue(seen.containsAll(created), "every user that existed at the start is listed");
        assertEquals(seen.stream().sorted().toList(), seen, "ordered by id");

        org.scim().queryParam("cursor", "bm90LWEtY3Vyc29y").get("/Users").then().statusCode(400)
                .body("scimType", equalTo("invalidCursor"));
        org.scim().queryParam("cursor", "").queryParam("startIndex", 1).get("/Users").then().statusCode(400)
                .body("scimType", equalTo("invalidValue"));
        org.scim().body("{\"displayName\":\"Cursor group\"}").post("/Groups").then().statusCode(201);
        org.scim().queryParam("cursor", "").get("/Groups").then().statusCode(200)
                .body("totalResults", equalTo(1)).body("Resources[0].displayName", equalTo("Cursor group"))
                .body("nextCursor", equalTo(null));
        org.scim().get("/ServiceProviderConfig").then().statusCode(200)
                .body("pagination.cursor", equalTo(true))
                .body("securityEvents.eventUris", hasItems(ScimEventUris.CREATE_FULL, ScimEventUris.PATCH_FULL,
                        ScimEventUris.DEACTIVATE));
    }

    @Test
    void groupMembershipTravelsAsAPatchOfTheGroup() throws Exception {
        ScimOrg org = ScimOrg.create("set-groups");
        try (TestReceiver receiver = new TestReceiver()) {
            pushReceiver("groups-" + org.slug(), org, receiver, null);
            String alice = createUser(org, "alice@acme.test");
            String group = org.scim().body("{\"displayName\":\"Readers\"}").post("/Groups").then().statusCode(201)
                    .extract().path("id");
            org.scim().body(PATCH + "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + alice
                    + "\"}]}]}").patch("/Groups/" + group).then().statusCode(204);
            org.scim().body(PATCH + "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + alice + "\\\"]\"}]}")
                    .patch("/Groups/" + group).then().statusCode(204);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.of("/Groups/" + group).size() == 3);
            List<TestReceiver.Received> sets = receiver.of("/Groups/" + group);
            assertEquals(Set.of(ScimEventUris.CREATE_FULL),
                    sets.get(0).set().getJWTClaimsSet().getJSONObjectClaim("events").keySet());
            String added = sets.get(1).set().getJWTClaimsSet().getJSONObjectClaim("events")
                    .get(ScimEventUris.PATCH_FULL).toString();
            assertTrue(added.contains("op=add") && added.contains(alice), added);
            String removed = sets.get(2).set().getJWTClaimsSet().getJSONObjectClaim("events")
                    .get(ScimEventUris.PATCH_FULL).toString();
            assertTrue(removed.contains("op=remove") && removed.contains(alice), removed);
        }
    }

    @Test
    void badRegistrationsAreRefusedInProblemJsonAndOnlyTheOperatorRegisters() {
        ScimOrg org = ScimOrg.create("set-bad");
        operator().body("{\"name\":\"bad\",\"mode\":\"smtp\"}").post("/admin/event-receivers").then()
                .statusCode(400).contentType(containsString("application/problem+json"))
                .body(containsString("mode"));
        operator().body("{\"name\":\"bad\",\"mode\":\"push\"}").post("/admin/event-receivers").then()
                .statusCode(400).body(containsString("url"));
        operator().body("{\"name\":\"bad\",\"mode\":\"push\",\"url\":\"ftp://x.test/\"}")
                .post("/admin/event-receivers").then().statusCode(400).body(containsString("url"));
        operator().body("{\"name\":\"bad\",\"mode\":\"push\",\"url\":\"https://x.test/\","
                + "\"eventTypes\":[\"urn:ietf:params:scim:event:sig:pwdReset\"]}")
                .post("/admin/event-receivers").then().statusCode(400).body(containsString("eventTypes"));
        operator().body("{\"name\":\"bad\",\"mode\":\"push\",\"url\":\"https://x.test/\","
                + "\"auth\":{\"type\":\"bearer\"}}")
                .post("/admin/event-receivers").then().statusCode(400).body(containsString("secret"));
        operator().body("{\"name\":\"bad\",\"mode\":\"poll\",\"url\":\"https://x.test/\"}")
                .post("/admin/event-receivers").then().statusCode(400);
        operator().body("[]").post("/admin/event-receivers").then().statusCode(400);
        // "none yet" must not read as every organization's events
        operator().body("{\"name\":\"bad\",\"mode\":\"poll\",\"organizations\":[]}")
                .post("/admin/event-receivers").then().statusCode(400).body(containsString("organizations"));
        operator().body("{\"from\":\"yesterday\"}")
                .post("/admin/event-receivers/00000000-0000-0000-0000-000000000000/replay").then().statusCode(400);
        operator().get("/admin/event-receivers/00000000-0000-0000-0000-000000000000").then().statusCode(404)
                .contentType(containsString("application/problem+json"));
        given().auth().oauth2(org.org().ownerToken()).contentType(ContentType.JSON)
                .body("{\"name\":\"owner\",\"mode\":\"poll\"}").post("/admin/event-receivers").then().statusCode(403);
        given().contentType(ContentType.JSON).body("{\"name\":\"anon\",\"mode\":\"poll\"}")
                .post("/admin/event-receivers").then().statusCode(401);
        // nothing half-written: none of the refused registrations exists
        operator().get("/admin/event-receivers").then().statusCode(200)
                .body("name", not(hasItems("bad", "owner", "anon")));
    }
}
