package dev.keyway.sso.saml;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyway.sso.SsoFixture;
import dev.keyway.sso.config.SsoConfig;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Anonymous {@code /saml/{slug}/login} writes a pending AuthnRequest: it cannot be used to fill the table. */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class SignInBoundsTest {

    @Inject
    SignInLimits limits;

    @Inject
    PendingRequests pending;

    @Inject
    SsoConfig config;

    @Test
    void anOrganizationWhoseSignInsCameTooFastGetsA429PageAndNothingIsSaved() {
        SsoFixture org = SsoFixture.create("rate");
        // many clients, each within its own allowance, use up the organization's (it refills once a minute in %test)
        int client = 0;
        while (limits.tryStart(org.orgId.value(), "198.51.100." + (client++ % 250))) {
            // keep going
        }

        given().redirects().follow(false).get("/saml/" + org.slug + "/login").then().statusCode(429)
                .contentType(containsString("text/html")).header("Cache-Control", "no-store")
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .body(containsString("too-many-sign-ins"));
        assertEquals(0, pendingOf(org));
    }

    @Test
    void anOrganizationsPendingRequestsAreCappedAndExpiredOnesPurged() {
        SsoFixture org = SsoFixture.create("cap");
        int cap = config.loginLimits().maxPendingPerOrganization();
        TestPostgres.get()
                .execute("insert into sso.saml_pending_request (id, org_id, expires_at) select 'filler-' || g, '"
                        + org.orgId.value() + "', now() + interval '10 minutes' from generate_series(1, " + cap
                        + ") g");

        given().redirects().follow(false).get("/saml/" + org.slug + "/login").then().statusCode(429)
                .body(containsString("too-many-sign-ins"));
        assertEquals(cap, pendingOf(org));

        TestPostgres.get().execute("update sso.saml_pending_request set expires_at = now() - interval '1 second'"
                + " where org_id = '" + org.orgId.value() + "'");
        given().redirects().follow(false).get("/saml/" + org.slug + "/login").then().statusCode(303);
        pending.forgetExpired().await().indefinitely();
        assertEquals(1, pendingOf(org), "expired requests are purged, the live one stays");
    }

    private static long pendingOf(SsoFixture org) {
        return TestPostgres.get().count("select count(*) from sso.saml_pending_request where org_id = ?::uuid",
                org.orgId.value().toString());
    }
}
