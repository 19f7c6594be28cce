package dev.keyway.sso.eligibility;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import dev.keyway.sso.SsoFixture;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What the SaaS's login page learns from an e-mail address. */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class LoginDiscoveryTest {

    @Test
    void aKnownUserIsSentToTheirOrganizationsSsoAndItsPasswordRuleApplies() {
        SsoFixture org = SsoFixture.create("discover");
        org.user("Known.User@Discover.test", true);

        given().queryParam("email", "known.user@discover.test").get("/login/discover").then().statusCode(200)
                .body("sso", equalTo(true))
                .body("passwordLoginAllowed", equalTo(true))
                .body("organizations.slug", contains(org.slug))
                .body("organizations[0].ssoUrl", equalTo("http://localhost:8081/saml/" + org.slug + "/login"));

        org.settings("{\"passwordLoginAllowed\":false}").then().statusCode(200);
        given().queryParam("email", "known.user@discover.test").get("/login/discover").then()
                .body("passwordLoginAllowed", equalTo(false));
    }

    @Test
    void anEmailDomainTheOrganizationClaimsIsSentToItsSsoEvenForNewUsers() {
        SsoFixture org = SsoFixture.create("domain");
        String domain = org.slug + ".example";
        org.settings("{\"emailDomains\":[\"" + domain + "\"]}").then().statusCode(200);

        given().queryParam("email", "someone.new@" + domain).get("/login/discover").then()
                .body("sso", equalTo(true)).body("organizations.slug", contains(org.slug));
        given().queryParam("email", "someone@elsewhere.example").get("/login/discover").then()
                .body("sso", equalTo(false)).body("passwordLoginAllowed", equalTo(true)).body("organizations", empty());
        given().queryParam("email", "not-an-email").get("/login/discover").then().statusCode(400)
                .contentType("application/problem+json");
    }
}
