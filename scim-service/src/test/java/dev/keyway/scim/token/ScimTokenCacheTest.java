package dev.keyway.scim.token;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.keyway.scim.ScimOrg;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Active SCIM tokens are remembered, yet a revocation ends a token at once: on the replica that revoked it, and on
 * any other replica (here: the database changed behind this replica's back, as another replica would) as soon as
 * PostgreSQL's notification arrives.
 */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class ScimTokenCacheTest {

    @Inject
    ScimTokenCache cache;

    @BeforeEach
    void tokensAreRemembered() {
        // otherwise every token is looked up on every request and these tests would prove nothing
        await().atMost(Duration.ofSeconds(10)).until(cache::listening);
    }

    @Test
    void aTokenRevokedThroughThisReplicaIsRefusedOnTheNextRequest() {
        ScimOrg org = ScimOrg.create("cache-revoke");
        org.scim().get("/Users").then().statusCode(200);
        org.scim().get("/Users").then().statusCode(200);
        String path = "/admin/orgs/" + org.slug() + "/scim/tokens";
        String id = given().auth().oauth2(org.org().ownerToken()).get(path).then().extract().path("tokens[0].id");

        given().auth().oauth2(org.org().ownerToken()).delete(path + "/" + id).then().statusCode(204);

        org.scim().get("/Users").then().statusCode(401);
    }

    @Test
    void aTokenRevokedByAnotherReplicaIsRefusedOnceTheDatabaseSaysSo() {
        ScimOrg org = ScimOrg.create("cache-elsewhere");
        ScimOrg bystander = ScimOrg.create("cache-bystander");
        org.scim().get("/Users").then().statusCode(200);
        bystander.scim().get("/Users").then().statusCode(200);

        TestPostgres.get().execute("update scim.scim_token set revoked_at = now() where org_id = '"
                + org.org().id().value() + "'");

        // the notification arrives within milliseconds; 5 s is still below the cache's own bound (max-age, 10 s), so
        // only the notification can pass this
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> org.scim().get("/Users").statusCode() == 401);
        bystander.scim().get("/Users").then().statusCode(200);
    }

    @Test
    void switchingGroupsOffAppliesToTheNextRequestOfARememberedToken() {
        ScimOrg org = ScimOrg.create("cache-groups");
        org.scim().get("/Groups").then().statusCode(200);

        given().auth().oauth2(org.org().ownerToken()).contentType("application/json")
                .body("{\"groupsEnabled\": false}").patch("/admin/orgs/" + org.slug() + "/scim/settings")
                .then().statusCode(200);

        org.scim().get("/Groups").then().statusCode(403);
    }
}
