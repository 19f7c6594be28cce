package dev.keyway.sso.domain;

import static io.restassured.RestAssured.given;

import dev.keyway.sso.SsoFixture;
import dev.keyway.testsupport.TestDns;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** An organization's owner claiming e-mail domains and publishing their TXT records on the test DNS server. */
public final class VerifiedDomains {

    private VerifiedDomains() {
    }

    public static Response claim(SsoFixture org, String domain) {
        return given().auth().oauth2(org.owner).contentType(ContentType.JSON).body("{\"domain\":\"" + domain + "\"}")
                .post("/admin/orgs/" + org.slug + "/domains");
    }

    public static Response verify(SsoFixture org, String domain) {
        return given().auth().oauth2(org.owner).post("/admin/orgs/" + org.slug + "/domains/" + domain + "/verify");
    }

    /** Claims the domain, publishes its TXT record as the domain's owner would, and verifies it. */
    public static void verified(SsoFixture org, String domain) {
        Response claimed = claim(org, domain);
        claimed.then().statusCode(201);
        TestDns.get().publishTxt(claimed.path("dnsRecord.name"), (String) claimed.path("dnsRecord.value"));
        verify(org, domain).then().statusCode(200);
    }
}
