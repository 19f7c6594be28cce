package dev.keyway.scim;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyway.runtime.database.PoolOverload;
import dev.keyway.testsupport.HeldConnections;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * An overloaded replica refuses what it cannot take soon, in the protocol's own error format, with {@code 503} and
 * {@code Retry-After}: a request that finds as many requests already waiting for a connection as
 * {@code keyway.database.max-waiting} allows, or that waited {@code keyway.database.connection-wait} for one. Vert.x
 * would queue it without bound and fail it after 30 s with a 500. Nothing of a refused write is kept, and the same
 * request succeeds once the pool is free.
 */
@QuarkusTest
@TestProfile(SmallPoolProfile.class)
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class PoolOverloadTest {

    @Inject
    Pool pool;

    @Test
    void aWriteThatFindsTheWaitingRoomFullIsRefused503AndLeavesNothing() {
        ScimOrg org = ScimOrg.create("busy-queue");
        String user = "{\"userName\":\"queued@acme.test\",\"name\":{\"givenName\":\"Q\",\"familyName\":\"Ueued\"}}";
        // every connection but the relay's handed out, and one more request waiting: the waiting room is full
        try (HeldConnections held = new HeldConnections(pool)
                .take(SmallPoolProfile.POOL_SIZE - 1 + SmallPoolProfile.MAX_WAITING, SmallPoolProfile.POOL_SIZE - 1)) {
            refusedAsBusy(org.scim().body(user).post("/Users").then());
        }
        org.scim().queryParam("filter", "userName eq \"queued@acme.test\"").get("/Users").then()
                .statusCode(200).body("totalResults", equalTo(0));
        org.scim().body(user).post("/Users").then().statusCode(201);
    }

    @Test
    void aRequestThatWaitedTheLongestAllowedIsRefused503() {
        ScimOrg org = ScimOrg.create("busy-wait");
        try (HeldConnections held = new HeldConnections(pool)
                .take(SmallPoolProfile.POOL_SIZE - 1, SmallPoolProfile.POOL_SIZE - 1)) {
            // nothing else waits: the pool's own refusal comes when the wait ends, not at once
            long asked = System.nanoTime();
            Throwable refusal = pool.getConnection().onItem().invoke(connection -> connection.closeAndForget())
                    .onItemOrFailure().transform((connection, failure) -> failure)
                    .await().atMost(Duration.ofSeconds(10));
            assertTrue(PoolOverload.is(refusal), () -> "not recognised as an overload: " + refusal);
            assertTrue(System.nanoTime() - asked >= Duration.ofMillis(900).toNanos(), "refused before the wait ended");

            refusedAsBusy(org.scim().get("/Users").then());
        }
        org.scim().get("/Users").then().statusCode(200);
    }

    private static void refusedAsBusy(ValidatableResponse response) {
        response.statusCode(503)
                .header("Retry-After", "1")
                .contentType("application/scim+json")
                .body("schemas", hasItem("urn:ietf:params:scim:api:messages:2.0:Error"))
                .body("status", equalTo("503"))
                .body("detail", containsString("busy"))
                .body("detail", not(containsString("Exception")));
    }
}
