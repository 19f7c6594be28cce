package dev.keyway.sso;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.HeldConnections;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * While requests hold every connection of the pool and more are refused: a deactivation still ends the user's
 * sessions (directory events are applied on the consumer's own connection, so a burst of sign-ins can neither queue
 * them nor have them refused with the requests, as when each batch asked the pool), and a sign-in gets the busy page
 * with {@code Retry-After}, having written nothing, so the browser may post the same response again.
 */
@QuarkusTest
@TestProfile(BusyPoolTest.SmallPool.class)
@WithTestResource(KeywayTestStack.class)
class BusyPoolTest {

    /** A small pool, where a request waits at most a second for a connection. */
    public static class SmallPool implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "4",
                    "keyway.database.max-waiting", "1",
                    "keyway.database.connection-wait", "1s");
        }
    }

    @Inject
    Pool pool;

    @Test
    void aDeactivationEndsTheSessionsWhileTheRequestsHoldEveryOtherConnection() {
        SsoFixture org = SsoFixture.create("busy");
        UUID ada = org.user("ada@busy.test", true);
        UUID session = UUID.randomUUID();
        TestPostgres.get().execute("insert into sso.session (id, org_id, user_id, expires_at) values ('" + session
                + "', '" + org.orgId + "', '" + ada + "', now() + interval '1 hour')");

        try (HeldConnections held = new HeldConnections(pool).takeAll()) {
            org.user(ada, "ada@busy.test", false);

            assertEquals("user-inactive", TestPostgres.get().queryValue(
                    "select revoked_reason from sso.session where id = ?::uuid", session.toString()));
        }
    }

    @Test
    void aSignInThatFindsNoConnectionGetsTheBusyPageAndMayBePostedAgain() {
        SsoFixture org = SsoFixture.create("busy-acs");
        org.user("ada@busy-acs.test", true);
        String response = org.response("ada@busy-acs.test").xml();

        try (HeldConnections held = new HeldConnections(pool).takeAll()) {
            org.post(response, null).then().statusCode(503).header("Retry-After", "1")
                    .contentType(containsString("text/html")).body(containsString("retry in a moment"));
        }

        org.post(response, null).then().statusCode(303);
    }
}
