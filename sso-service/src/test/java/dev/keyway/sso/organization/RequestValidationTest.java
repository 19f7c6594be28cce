package dev.keyway.sso.organization;

import static dev.keyway.sso.organization.AdminAuthenticationTest.ownerToken;
import static dev.keyway.sso.organization.OrganizationsTest.OPERATOR;
import static dev.keyway.sso.organization.OrganizationsTest.createOrg;
import static dev.keyway.sso.organization.OrganizationsTest.uniqueSlug;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** A request body is checked by its constraints before anything runs: every wrong field is named, in one 400. */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class RequestValidationTest {

    @Test
    void everyWrongFieldIsNamedInOneProblemAndNothingIsWritten() {
        long before = TestPostgres.get().count("select count(*) from sso.organization");

        given().header("Authorization", OPERATOR).contentType(ContentType.JSON)
                .body("{\"slug\":\"Bad_Slug!\",\"displayName\":\" \",\"region\":\"mars\"}").post("/admin/orgs")
                .then().statusCode(400).contentType("application/problem+json").body("status", equalTo(400))
                .body("detail", containsString("slug: 2-63 characters of a-z, 0-9 and '-'"))
                .body("detail", containsString("displayName: required, at most 200 characters."))
                .body("detail", containsString("region: must be 'api' or 'eu'."));
        given().header("Authorization", OPERATOR).contentType(ContentType.JSON).post("/admin/orgs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("A JSON body with slug, displayName and region is required."));

        assertEquals(before, TestPostgres.get().count("select count(*) from sso.organization"));
    }

    @Test
    void everyWrongSamlSettingIsNamedAndNoneIsStored() {
        String slug = uniqueSlug("settings");
        createOrg(slug);
        String path = "/admin/orgs/" + slug + "/saml/settings";

        given().auth().oauth2(ownerToken(slug)).contentType(ContentType.JSON)
                .body("{\"clockSkewSeconds\":3600,\"signatureAlgorithms\":[\"RSA-SHA256\",\"HMAC-MD5\"],"
                        + "\"allowedRelayStateHosts\":[\"app.example\",\"bad host\"],\"defaultLandingUrl\":\"x:y\"}")
                .patch(path).then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("clockSkewSeconds: between 0 and 600."))
                .body("detail", containsString("signatureAlgorithms[1]: one of RSA-SHA256, RSA-SHA512, RSA-SHA1."))
                .body("detail", containsString("allowedRelayStateHosts[1]: not a host name."))
                .body("detail", containsString("defaultLandingUrl: an absolute http(s) URL or a path"));
        given().auth().oauth2(ownerToken(slug)).get("/admin/orgs/" + slug + "/saml").then().statusCode(200)
                .body("settings.clockSkewSeconds", equalTo(180));
    }

    @Test
    void anOwnerOfAnotherOrganizationIsRefusedBeforeTheBodyIsChecked() {
        String mine = uniqueSlug("mine");
        String theirs = uniqueSlug("theirs");
        createOrg(mine);
        createOrg(theirs);
        String token = ownerToken(mine);

        given().auth().oauth2(token).contentType(ContentType.JSON).body("{}").post("/admin/orgs/" + theirs + "/domains")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(token).contentType(ContentType.JSON).post("/admin/orgs/" + theirs + "/domains")
                .then().statusCode(403).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{}").post("/admin/orgs/" + theirs + "/domains")
                .then().statusCode(401).contentType("application/problem+json");
    }
}
