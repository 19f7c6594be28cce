package dev.keyway.sso.eligibility;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.UserState;
import dev.keyway.common.tenant.Region;
import dev.keyway.sso.SsoFixture;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** One login identity per organization and e-mail: the directory's state wins over a just-in-time user. */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class OneLoginPerEmailTest {

    private static String session(Response signedIn) {
        signedIn.then().statusCode(303);
        String cookie = signedIn.getCookie("keyway_session");
        assertNotNull(cookie, "a session cookie");
        return cookie;
    }

    private static long identities(SsoFixture org, String email) {
        return TestPostgres.get().count(
                "select count(*) from sso.login_user where org_id = ?::uuid and lower(email) = ?",
                org.orgId.toString(), email);
    }

    @Test
    void aJustInTimeUserProvisionedBySCIMAndThenDeactivatedThereCanNoLongerSignIn() {
        SsoFixture org = SsoFixture.create("jit-scim");
        org.settings("{\"jitProvisioning\":true}").then().statusCode(200);
        String jitEra = session(org.post(org.response("Ada@Acme.test").xml(), null));
        given().cookie("keyway_session", jitEra).get("/session").then().statusCode(200);

        UUID provisioned = org.user("ada@acme.test", true);
        assertEquals(1, identities(org, "ada@acme.test"));
        assertEquals(1, TestPostgres.get().count("select count(*) from sso.login_user where user_id = ?::uuid "
                + "and source = 'directory'", provisioned.toString()));
        given().cookie("keyway_session", jitEra).get("/session").then().statusCode(200);
        String directoryEra = session(org.post(org.response("ada@acme.test").xml(), null));
        given().cookie("keyway_session", directoryEra).get("/session").then().statusCode(200)
                .body("sub", equalTo(provisioned.toString()));

        org.user(provisioned, "ada@acme.test", false);

        org.post(org.response("ada@acme.test").xml(), null).then().statusCode(403)
                .body(containsString("user-inactive"));
        for (String session : new String[]{ jitEra, directoryEra }) {
            given().cookie("keyway_session", session).get("/session").then().statusCode(401)
                    .contentType("application/problem+json").body("detail", containsString("user-inactive"));
        }
        assertEquals(0, TestPostgres.get().count("select count(*) from sso.session where org_id = ?::uuid "
                + "and revoked_at is null", org.orgId.toString()));
    }

    @Test
    void aDirectoryUserWhoseUserNameAJustInTimeUserSignedInWithTakesItOver() {
        SsoFixture org = SsoFixture.create("jit-username");
        org.settings("{\"jitProvisioning\":true}").then().statusCode(200);
        String jitEra = session(org.post(org.response("grace").xml(), null));

        UUID provisioned = UUID.randomUUID();
        TestKafka.get().publish(EventEnvelope.of(EventType.USER_UPSERTED, org.orgId, Region.API,
                provisioned.toString(), 1, new UserState(provisioned, "grace", null, "Grace", "Hopper", "Grace Hopper",
                        "grace.hopper@acme.test", false, null, null, null, null)));
        await().atMost(Duration.ofSeconds(20)).until(() -> TestPostgres.get().count(
                "select count(*) from sso.login_user where user_id = ?::uuid", provisioned.toString()) == 1);

        assertEquals(0, identities(org, "grace"));
        given().cookie("keyway_session", jitEra).get("/session").then().statusCode(401);
        org.post(org.response("grace").xml(), null).then().statusCode(403).body(containsString("user-inactive"));
    }

    @Test
    void ofTwoDirectoryUsersWithOneEmailTheLatestHoldsIt() {
        SsoFixture org = SsoFixture.create("email-twins");
        UUID first = org.user("shared@acme.test", true);
        UUID second = org.user("shared@acme.test", false);

        assertEquals(second.toString(), TestPostgres.get().queryValue("select user_id::text from sso.login_user "
                + "where org_id = ?::uuid and email = 'shared@acme.test'", org.orgId.toString()));
        assertEquals(1, TestPostgres.get().count("select count(*) from sso.login_user where user_id = ?::uuid "
                + "and email is null", first.toString()));
        // the e-mail is the inactive user's now: it signs nobody in
        org.post(org.response("shared@acme.test").xml(), null).then().statusCode(403)
                .body(containsString("user-inactive"));
    }
}
