package dev.keyway.sso.eligibility;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyway.sso.SsoFixture;
import dev.keyway.sso.domain.VerifiedDomains;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestDns;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** What the SaaS's login page learns from an e-mail address: only what a verified domain says, nothing about users. */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class LoginDiscoveryTest {

    private static Response discover(String email) {
        return given().queryParam("email", email).get("/login/discover");
    }

    /** The answer without the address it echoes. */
    private static Map<String, Object> answer(String email) {
        Map<String, Object> body = discover(email).then().statusCode(200).extract().jsonPath().getMap("");
        body.remove("email");
        return body;
    }

    @Test
    void aVerifiedDomainSendsEveryAddressOfItToTheOrganizationsSso() {
        SsoFixture org = SsoFixture.create("discover");
        String domain = org.slug + ".example";
        VerifiedDomains.verified(org, domain);

        discover("Someone.New@" + domain.toUpperCase(Locale.ROOT)).then().statusCode(200)
                .body("email", equalTo("someone.new@" + domain))
                .body("sso", equalTo(true))
                .body("passwordLoginAllowed", equalTo(true))
                .body("organizations.slug", contains(org.slug))
                .body("organizations[0].ssoUrl", equalTo("http://localhost:8081/saml/" + org.slug + "/login"));

        org.settings("{\"passwordLoginAllowed\":false}").then().statusCode(200);
        discover("someone.new@" + domain).then().body("passwordLoginAllowed", equalTo(false));
    }

    @Test
    void anUnverifiedClaimChangesNothingEvenForTheOrganizationsOwnUsers() {
        SsoFixture victim = SsoFixture.create("victim");
        SsoFixture claimant = SsoFixture.create("claimant");
        String domain = victim.slug + ".example";
        VerifiedDomains.verified(victim, domain);
        VerifiedDomains.claim(claimant, domain).then().statusCode(201);
        String pending = claimant.slug + ".example";
        VerifiedDomains.claim(claimant, pending).then().statusCode(201);
        claimant.user("ada@" + pending, true);

        discover("ada@" + domain).then().body("organizations.slug", contains(victim.slug));
        assertEquals(answer("ada@unclaimed-" + claimant.slug + ".example"), answer("ada@" + pending));
        discover("ada@" + pending).then().body("sso", equalTo(false)).body("passwordLoginAllowed", equalTo(true))
                .body("organizations", empty());
    }

    @Test
    void theAnswerDoesNotTellWhetherAnAddressBelongsToAUser() {
        SsoFixture org = SsoFixture.create("members");
        String verified = org.slug + ".example";
        VerifiedDomains.verified(org, verified);
        org.user("known@" + verified, true);
        org.user("known@" + org.slug + ".test", true);
        org.user("inactive@" + org.slug + ".test", false);

        assertEquals(answer("nobody@" + verified), answer("known@" + verified));
        assertEquals(answer("nobody@" + org.slug + ".test"), answer("known@" + org.slug + ".test"));
        assertEquals(answer("nobody@" + org.slug + ".test"), answer("inactive@" + org.slug + ".test"));
        // a known domain and an unknown one differ in where SSO starts, and in nothing else
        assertEquals(answer("nobody@" + verified).keySet(), answer("nobody@" + org.slug + ".test").keySet());
    }

    @Test
    void aDomainGivenUpNoLongerCounts() {
        SsoFixture org = SsoFixture.create("given-up");
        String domain = org.slug + ".example";
        VerifiedDomains.verified(org, domain);
        TestDns.get().remove("_keyway-challenge." + domain);
        discover("ada@" + domain).then().body("sso", equalTo(true));

        given().auth().oauth2(org.owner).delete("/admin/orgs/" + org.slug + "/domains/" + domain).then()
                .statusCode(204);
        discover("ada@" + domain).then().body("sso", equalTo(false)).body("organizations", empty());
    }

    @Test
    void domainsAreNoLongerClaimedThroughTheSamlSettings() {
        SsoFixture org = SsoFixture.create("settings-domain");
        org.settings("{\"emailDomains\":[\"" + org.slug + ".example\"]}").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("/domains"));
        org.settings("{\"emailDomains\":[]}").then().statusCode(200);
        discover("ada@" + org.slug + ".example").then().body("sso", equalTo(false));
    }

    @Test
    void anAddressIsRequired() {
        discover("not-an-email").then().statusCode(400).contentType("application/problem+json");
        given().get("/login/discover").then().statusCode(400).contentType("application/problem+json");
        discover("ada@not a domain").then().statusCode(200).body("sso", equalTo(false));
    }
}
