package dev.keyway.sso.domain;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.Locale;

import org.junit.jupiter.api.Test;

import dev.keyway.sso.SsoFixture;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestDns;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** An owner claims an e-mail domain, proves it with a DNS TXT record, and no other organization can then. */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class EmailDomainsTest {

    @Test
    void aClaimIsVerifiedOnlyOnceItsTxtRecordIsPublished() {
        SsoFixture org = SsoFixture.create("claim");
        String domain = org.slug + ".example";

        Response claimed = VerifiedDomains.claim(org, domain.toUpperCase(Locale.ROOT));
        claimed.then().statusCode(201)
                .header("Location", endsWith("/admin/orgs/" + org.slug + "/domains/" + domain))
                .body("domain", equalTo(domain))
                .body("status", equalTo("PENDING"))
                .body("dnsRecord.type", equalTo("TXT"))
                .body("dnsRecord.name", equalTo("_keyway-challenge." + domain))
                .body("dnsRecord.value", startsWith("keyway-domain-verification="));
        String record = claimed.path("dnsRecord.name");
        String value = claimed.path("dnsRecord.value");
        VerifiedDomains.claim(org, domain).then().statusCode(200).body("dnsRecord.value", equalTo(value));

        VerifiedDomains.verify(org, domain).then().statusCode(422).contentType("application/problem+json")
                .body("reason", equalTo("txt-record-missing"))
                .body("detail", containsString("No TXT record at " + record))
                .body("detail", containsString(value));
        TestDns.get().publishTxt(record, "v=spf1 -all", "keyway-domain-verification=someone-elses-token");
        VerifiedDomains.verify(org, domain).then().statusCode(422).body("reason", equalTo("txt-record-mismatch"));
        given().auth().oauth2(org.owner).get("/admin/orgs/" + org.slug + "/domains/" + domain).then().statusCode(200)
                .body("status", equalTo("PENDING"))
                .body("lastCheckedAt", notNullValue())
                .body("lastFailure", containsString("do not hold " + value));

        TestDns.get().publishTxt(record, "v=spf1 -all", value);
        VerifiedDomains.verify(org, domain).then().statusCode(200)
                .body("status", equalTo("VERIFIED"))
                .body("verifiedAt", notNullValue())
                .body("lastFailure", nullValue());
        given().auth().oauth2(org.owner).get("/admin/orgs/" + org.slug + "/domains").then().statusCode(200)
                .body("domain", contains(domain))
                .body("status", contains("VERIFIED"));
    }

    @Test
    void aDomainVerifiedByOneOrganizationCannotBeVerifiedByAnother() {
        SsoFixture first = SsoFixture.create("first");
        SsoFixture second = SsoFixture.create("second");
        String domain = first.slug + ".example";
        Response firstClaim = VerifiedDomains.claim(first, domain);
        Response secondClaim = VerifiedDomains.claim(second, domain);
        secondClaim.then().statusCode(201);
        // both tokens at the name: the second organization controls the DNS too, and still cannot take the domain
        TestDns.get().publishTxt(firstClaim.path("dnsRecord.name"), (String) firstClaim.path("dnsRecord.value"),
                (String) secondClaim.path("dnsRecord.value"));
        VerifiedDomains.verify(first, domain).then().statusCode(200).body("status", equalTo("VERIFIED"));

        VerifiedDomains.verify(second, domain).then().statusCode(409).contentType("application/problem+json")
                .body("reason", equalTo("domain-verified-elsewhere"));
        given().auth().oauth2(second.owner).get("/admin/orgs/" + second.slug + "/domains/" + domain).then()
                .body("status", equalTo("PENDING"));

        // once the first gives it up, the second can prove it
        given().auth().oauth2(first.owner).delete("/admin/orgs/" + first.slug + "/domains/" + domain).then()
                .statusCode(204);
        given().auth().oauth2(first.owner).delete("/admin/orgs/" + first.slug + "/domains/" + domain).then()
                .statusCode(404).contentType("application/problem+json");
        VerifiedDomains.verify(second, domain).then().statusCode(200).body("status", equalTo("VERIFIED"));
    }

    @Test
    void badInputIsA4xxInProblemJson() {
        SsoFixture org = SsoFixture.create("bad-domains");
        String base = "/admin/orgs/" + org.slug + "/domains";

        for (String domain : new String[]{ "localhost", "*.acme.example", "10.0.0.1", "acme.example/x",
                "a".repeat(300) + ".example" }) {
            VerifiedDomains.claim(org, domain).then().statusCode(400).contentType("application/problem+json")
                    .body("detail", startsWith("domain:"));
        }
        given().auth().oauth2(org.owner).contentType(ContentType.JSON).body("{}").post(base).then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(org.owner).contentType(ContentType.JSON).body("null").post(base).then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(org.owner).contentType(ContentType.JSON).body("{\"domain\":[1]}").post(base).then()
                .statusCode(400).contentType("application/problem+json");
        VerifiedDomains.verify(org, "never-claimed.example").then().statusCode(404)
                .contentType("application/problem+json");
        given().get(base).then().statusCode(401);
        given().auth().oauth2(SsoFixture.create("intruder").owner).get(base).then().statusCode(403);
        given().auth().oauth2(org.owner).get("/admin/orgs/nobody-" + org.slug + "/domains").then().statusCode(403);
    }

    @Test
    void anOrganizationClaimsABoundedNumberOfDomains() {
        SsoFixture org = SsoFixture.create("many-domains");
        for (int i = 0; i < 20; i++) {
            VerifiedDomains.claim(org, "d" + i + "." + org.slug + ".example").then().statusCode(201);
        }
        VerifiedDomains.claim(org, "one-more." + org.slug + ".example").then().statusCode(409)
                .contentType("application/problem+json").body("reason", equalTo("too-many-domains"));
        VerifiedDomains.claim(org, "d0." + org.slug + ".example").then().statusCode(200);
    }
}
