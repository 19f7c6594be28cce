package dev.keyway.portal.link;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.keyway.common.tenant.Region;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.OrgAnnouncements;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Setup links from the operator's side and the browser's: made for one organization of this region, opened once
 * into a session cookie, revocable; only hashes stored; every unusable link gets a page that says why.
 */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class SetupLinksTest {

    static final String OPERATOR = "test-operator-token";
    static final String CSRF = "__Host-keyway_portal_csrf";
    static final String SESSION = "__Host-keyway_portal";

    static Response create(String body) {
        return given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body(body).post("/admin/setup-links");
    }

    static String secret(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** Opens the link's page as a browser does, then posts its button with the CSRF cookie and field. */
    static Response exchange(String secret) {
        Response page = given().get("/setup/" + secret);
        page.then().statusCode(200);
        String csrf = page.getCookie(CSRF);
        assertNotNull(csrf, "the page sets the CSRF cookie");
        return given().redirects().follow(false).cookie(CSRF, csrf).contentType(ContentType.URLENC)
                .formParam("csrf-token", field(page.asString())).post("/setup/" + secret);
    }

    static String field(String html) {
        int at = html.indexOf("name=\"csrf-token\" value=\"");
        assertTrue(at > 0, "the form carries the CSRF token");
        int start = at + "name=\"csrf-token\" value=\"".length();
        return html.substring(start, html.indexOf('"', start));
    }

    @Test
    void anOperatorMakesALinkWhichOpensOnceIntoASessionCookie() {
        OrgAnnouncements.TestOrg org = OrgAnnouncements.announce("portal", "links", Region.API);
        Response created = create(
                "{\"org\":\"" + org.slug() + "\",\"scopes\":[\"sso\",\"scim\"],\"expiresIn\":\"PT1H\"}");
        created.then().statusCode(201).header("Cache-Control", "no-store")
                .body("org", equalTo(org.slug()))
                .body("url", startsWith("http://localhost:8084/setup/"))
                .body("scopes", equalTo(List.of("sso", "scim")));
        String secret = secret(created.path("url"));
        assertEquals(1, TestPostgres.get().count("select count(*) from portal.setup_link where org_slug = ?"
                + " and token_hash = sha256(convert_to(?, 'UTF8'))", org.slug(), secret), "its hash is stored");

        // a link preview fetching the URL does not use it up
        given().get("/setup/" + secret).then().statusCode(200).body(containsString("Continue to set-up"));
        Response opened = exchange(secret);
        opened.then().statusCode(303).header("Location", containsString("/portal/" + org.slug()));
        String setCookie = opened.getHeaders().getValues("Set-Cookie").stream()
                .filter(value -> value.startsWith(SESSION + "=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("Path=/") && !setCookie.contains("Domain") && setCookie.contains("HttpOnly")
                && setCookie.contains("Secure") && setCookie.contains("SameSite=Strict"), setCookie);
        String session = opened.getCookie(SESSION);
        assertFalse(session.isBlank());
        given().cookie(SESSION, session).get("/portal/" + org.slug()).then().statusCode(200)
                .body(containsString("SAML single sign-on")).body(containsString("SCIM provisioning"))
                .body(not(containsString("Directory import</a></h2>")));

        // single use
        given().get("/setup/" + secret).then().statusCode(410).body(containsString("already been used"));
    }

    @Test
    void expiredUnknownAndRevokedLinksSaySoAndOpenNothing() {
        OrgAnnouncements.TestOrg org = OrgAnnouncements.announce("portal", "gone", Region.API);
        String expired = secret(
                create("{\"org\":\"" + org.slug() + "\"}").then().statusCode(201).extract().path("url"));
        TestPostgres.get().execute("update portal.setup_link set expires_at = now() - interval '1 minute'"
                + " where org_slug = '" + org.slug() + "'");
        given().get("/setup/" + expired).then().statusCode(410).body(containsString("has expired"));

        given().get("/setup/" + "x".repeat(43)).then().statusCode(404).body(containsString("not valid"));
        given().get("/setup/nonsense").then().statusCode(404).body(containsString("not valid"));

        Response created = create("{\"org\":\"" + org.slug() + "\"}");
        String secret = secret(created.path("url"));
        String session = exchange(secret).getCookie(SESSION);
        given().cookie(SESSION, session).get("/portal/" + org.slug()).then().statusCode(200);
        given().auth().oauth2(OPERATOR).delete("/admin/setup-links/" + created.path("id")).then().statusCode(204);
        given().cookie(SESSION, session).get("/portal/" + org.slug()).then().statusCode(401)
                .body(containsString("Your session has ended"));
        given().get("/setup/" + secret).then().statusCode(410).body(containsString("revoked"));
        assertEquals(0, TestPostgres.get().count("select count(*) from portal.portal_session where org_slug = ?",
                org.slug()));
    }

    @Test
    void aSessionOpensOnlyItsOwnOrganizationsPages() {
        OrgAnnouncements.TestOrg mine = OrgAnnouncements.announce("portal", "mine", Region.API);
        OrgAnnouncements.TestOrg theirs = OrgAnnouncements.announce("portal", "theirs", Region.API);
        String session = exchange(secret(create("{\"org\":\"" + mine.slug() + "\",\"scopes\":[\"logs\"]}")
                .path("url"))).getCookie(SESSION);
        given().cookie(SESSION, session).get("/portal/" + theirs.slug()).then().statusCode(403)
                .body(containsString("belongs to another organization"));
        given().cookie(SESSION, session).get("/portal/" + theirs.slug() + "/saml").then().statusCode(403);
        given().cookie(SESSION, session).get("/portal/" + mine.slug() + "/saml").then().statusCode(403)
                .body(containsString("does not include this page"));
        given().get("/portal/" + mine.slug()).then().statusCode(401);
    }

    @Test
    void aServiceThatDoesNotAnswerGetsAPageNotAStackTrace() {
        OrgAnnouncements.TestOrg org = OrgAnnouncements.announce("portal", "down", Region.API);
        String session = exchange(secret(create("{\"org\":\"" + org.slug() + "\"}").path("url")))
                .getCookie(SESSION);
        given().cookie(SESSION, session).get("/portal/" + org.slug() + "/saml").then().statusCode(503)
                .contentType(containsString("text/html")).body(containsString("not reachable right now"))
                .body(not(containsString("Exception")));
    }

    @Test
    void aFormPostWithoutTheCsrfTokenIsRefusedWithAPageAndChangesNothing() {
        OrgAnnouncements.TestOrg org = OrgAnnouncements.announce("portal", "csrf", Region.API);
        String secret = secret(create("{\"org\":\"" + org.slug() + "\"}").path("url"));
        Response page = given().get("/setup/" + secret);
        given().cookie(CSRF, page.getCookie(CSRF)).contentType(ContentType.URLENC).formParam("csrf-token", "forged")
                .post("/setup/" + secret).then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("This form could not be accepted"));
        given().contentType(ContentType.URLENC).formParam("x", "y").post("/setup/" + secret).then().statusCode(400);
        assertEquals(0, TestPostgres.get().count("select count(*) from portal.setup_link where org_slug = ?"
                + " and used_at is not null", org.slug()));
        exchange(secret).then().statusCode(303);
    }

    @Test
    void onlyTheOperatorMakesLinksAndOnlyForAnOrganizationItKnowsWithSensibleScopes() {
        OrgAnnouncements.TestOrg org = OrgAnnouncements.announce("portal", "op", Region.API);
        given().contentType(ContentType.JSON).body("{\"org\":\"" + org.slug() + "\"}").post("/admin/setup-links")
                .then().statusCode(401);
        // an organization's owner may not make links (they are the operator's to hand out), only see its own
        given().auth().oauth2(org.ownerToken()).contentType(ContentType.JSON).body("{\"org\":\"" + org.slug() + "\"}")
                .post("/admin/setup-links").then().statusCode(403);
        create("{\"org\":\"nobody-here\"}").then().statusCode(404).contentType("application/problem+json");
        create("{\"org\":\"" + org.slug() + "\",\"scopes\":[\"everything\"]}").then().statusCode(400)
                .body("detail", containsString("scopes"));
        create("{\"org\":\"" + org.slug() + "\",\"expiresIn\":\"P30D\"}").then().statusCode(400)
                .body("detail", containsString("expiresIn"));
        create("{}").then().statusCode(400);
        create("{\"org\":\"" + org.slug() + "\"}").then().statusCode(201);
        given().auth().oauth2(org.ownerToken()).get("/admin/orgs/" + org.slug() + "/setup-links").then()
                .statusCode(200).body("size()", equalTo(1)).body("[0].url", nullValue());
        OrgAnnouncements.TestOrg other = OrgAnnouncements.announce("portal", "op-other", Region.API);
        given().auth().oauth2(org.ownerToken()).get("/admin/orgs/" + other.slug() + "/setup-links").then()
                .statusCode(403);
        OrgAnnouncements.TestOrg european = OrgAnnouncements.announce("portal", "eu", Region.EU);
        create("{\"org\":\"" + european.slug() + "\"}").then().statusCode(421);
        assertEquals(0, TestPostgres.get().count("select count(*) from portal.setup_link where org_slug = ?",
                european.slug()));
    }
}
