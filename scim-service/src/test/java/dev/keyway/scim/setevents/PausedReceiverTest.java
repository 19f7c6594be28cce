package dev.keyway.scim.setevents;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyway.scim.ScimOrg;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** An endpoint that keeps failing is paused (here after 1 s instead of 3 days), visibly, until the operator resumes. */
@QuarkusTest
@TestProfile(PausedReceiverTest.QuickGiveUp.class)
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class PausedReceiverTest {

    public static class QuickGiveUp implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyway.events.retry-for", "PT1S");
        }
    }

    @Test
    void aPersistentlyFailingEndpointIsPausedThenResumedWithItsBacklogInOrder() throws Exception {
        ScimOrg org = ScimOrg.create("set-paused");
        try (TestReceiver receiver = new TestReceiver()) {
            receiver.refuse(subject -> true);
            String receiverId = given().auth().oauth2("test-operator-token").contentType(ContentType.JSON)
                    .body("{\"name\":\"paused-%s\",\"mode\":\"push\",\"url\":\"%s\",\"organizations\":[\"%s\"]}"
                            .formatted(org.slug(), receiver.url(), org.org().id().value()))
                    .post("/admin/event-receivers").then().statusCode(201).extract().path("id");
            String id = org.scim().body("{\"userName\":\"paused@acme.test\"}").post("/Users").then().statusCode(201)
                    .extract().path("id");
            org.scim().body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":"
                    + "[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"Later\"}]}")
                    .patch("/Users/" + id).then().statusCode(200);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2("test-operator-token")
                    .get("/admin/event-receivers/" + receiverId).then().statusCode(200)
                    .body("paused", equalTo(true))
                    .body("pauseReason", containsString("HTTP 500"))
                    .body("backlog", equalTo(2)));
            int refusedWhenPaused = receiver.refusals.get("/Users/" + id);
            receiver.refuse(subject -> false);

            given().auth().oauth2("test-operator-token").post("/admin/event-receivers/" + receiverId + "/resume")
                    .then().statusCode(200).body("paused", equalTo(false));
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.of("/Users/" + id).size() == 2);
            assertEquals(1L, receiver.of("/Users/" + id).get(0).sequence());
            assertEquals(2L, receiver.of("/Users/" + id).get(1).sequence());
            assertEquals(refusedWhenPaused, receiver.refusals.get("/Users/" + id),
                    "nothing was sent while paused");
        }
    }
}
