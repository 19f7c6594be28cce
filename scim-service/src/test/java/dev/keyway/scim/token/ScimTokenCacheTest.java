package dev.keyway.scim.token;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Assumptions;
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
 * PostgreSQL's notification arrives; and when the notification connection is lost, loudly or silently, nothing
 * remembered before is trusted after.
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

    /** The backend this replica listens on now (other than {@code not}), as PostgreSQL shows it; null while none. */
    private static Integer listenerPid(int not) {
        return (Integer) TestPostgres.get().queryValue("select pid from pg_stat_activity where datname = "
                + "current_database() and pid <> ? and query in (?, ?) and state = 'idle' order by backend_start desc "
                + "limit 1", not, "listen " + ScimTokenCache.CHANNEL, ScimTokenCache.HEARTBEAT);
    }

    private Integer relistenedOtherThan(int old) {
        return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> cache.listening() ? listenerPid(old) : null, pid -> pid != null);
    }

    private static void revoke(ScimOrg org) {
        TestPostgres.get().execute("update scim.scim_token set revoked_at = now() where org_id = '"
                + org.org().id().value() + "'");
    }

    @Test
    void aTerminatedNotificationConnectionEmptiesTheCacheAndTheReplicaListensAgain() {
        ScimOrg before = ScimOrg.create("cache-dropped");
        ScimOrg after = ScimOrg.create("cache-relisten");
        before.scim().get("/Users").then().statusCode(200);
        before.scim().get("/Users").then().statusCode(200);
        int old = await().atMost(Duration.ofSeconds(5)).until(() -> listenerPid(0), pid -> pid != null);

        TestPostgres.get().execute("select pg_terminate_backend(" + old + ")");
        // revoked while no replica connection listens (it re-listens a second later at the earliest): the
        // notification reaches nobody, only the emptied cache can refuse the token
        revoke(before);

        relistenedOtherThan(old);
        before.scim().get("/Users").then().statusCode(401);
        // and a revocation after the new LISTEN is heard again
        after.scim().get("/Users").then().statusCode(200);
        after.scim().get("/Users").then().statusCode(200);
        revoke(after);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> after.scim().get("/Users").statusCode() == 401);
    }

    @Test
    void aNotificationConnectionThatStallsWithoutClosingIsNoticedByItsHeartbeat() throws Exception {
        ScimOrg stale = ScimOrg.create("cache-stalled");
        ScimOrg later = ScimOrg.create("cache-after-stall");
        stale.scim().get("/Users").then().statusCode(200);
        stale.scim().get("/Users").then().statusCode(200);
        int old = await().atMost(Duration.ofSeconds(5)).until(() -> listenerPid(0), pid -> pid != null);
        // the backend stops without closing its connection, as behind a dead network path: no notification, no FIN
        Assumptions.assumeTrue(signal("STOP", old), "the PostgreSQL backend is not a process of this machine");
        try {
            revoke(stale);

            // the notification cannot arrive; the token is refused well before max-age (10 s) would end it
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> stale.scim().get("/Users").statusCode() == 401);
            relistenedOtherThan(old);
            later.scim().get("/Users").then().statusCode(200);
            later.scim().get("/Users").then().statusCode(200);
            revoke(later);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> later.scim().get("/Users").statusCode() == 401);
        } finally {
            signal("CONT", old); // it then ends: the replica asked PostgreSQL to terminate it
        }
    }

    private static boolean signal(String signal, int pid) throws Exception {
        if (ProcessHandle.of(pid).isEmpty()) {
            return false;
        }
        return new ProcessBuilder("kill", "-" + signal, Integer.toString(pid)).inheritIO().start().waitFor() == 0;
    }
}
