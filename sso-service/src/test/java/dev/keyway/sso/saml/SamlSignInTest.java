package dev.keyway.sso.saml;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;

import dev.keyway.common.tenant.Region;
import dev.keyway.sso.SsoFixture;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.OrgAnnouncements;
import dev.keyway.testsupport.OrgAnnouncements.TestOrg;
import dev.keyway.testsupport.SamlIdp;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Sign-in through the ACS and the login endpoint, sessions, and what the directory's changes do to them. */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class SamlSignInTest {

    private static String session(Response signedIn) {
        String cookie = signedIn.getCookie("keyway_session");
        assertNotNull(cookie, "a session cookie");
        return cookie;
    }

    @Test
    void anIdpInitiatedSignInOpensASessionWhoseClaimsTheAppCanRead() {
        SsoFixture org = SsoFixture.create("idp-init");
        UUID admins = org.group("Admins");
        UUID user = org.user("ada@acme.test", true, admins);

        Response signedIn = org.post(org.response("Ada@Acme.test").attribute("memberOf", "JumpCloud Users").xml(),
                null);

        signedIn.then().statusCode(303).header("Location", "/").header("Cache-Control", "no-store");
        String setCookie = signedIn.getHeader("Set-Cookie");
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("Secure") && setCookie.contains("SameSite=Lax"),
                setCookie);
        given().cookie("keyway_session", session(signedIn)).get("/session").then().statusCode(200)
                .body("sub", equalTo(user.toString()))
                .body("org_slug", equalTo(org.slug))
                .body("email", equalTo("ada@acme.test"))
                .body("given_name", equalTo("Ada"))
                .body("directory_groups", containsInAnyOrder("Admins"));
        given().auth().oauth2(session(signedIn)).get("/session").then().statusCode(200);
        given().auth().oauth2(session(signedIn)).get("/admin/orgs/" + org.slug).then().statusCode(401);
    }

    @Test
    void anOrganizationOfAnotherRegionSignsInThere() {
        TestOrg european = OrgAnnouncements.announce("sso", "european", Region.EU);

        given().redirects().follow(false).queryParam("returnTo", "/app?x=1")
                .get("/saml/" + european.slug() + "/login").then().statusCode(303)
                .header("Location", "http://localhost:9081/saml/" + european.slug() + "/login?returnTo=%2Fapp%3Fx%3D1");
        given().get("/saml/" + european.slug() + "/metadata").then().statusCode(421)
                .contentType("application/problem+json").body("detail", containsString("http://localhost:9081"));
        given().get("/saml/nobody-" + european.slug() + "/metadata").then().statusCode(404);
    }

    @Test
    void theSameAssertionTwiceIsAReplay() {
        SsoFixture org = SsoFixture.create("replay");
        org.user("ada@acme.test", true);
        String response = org.response("ada@acme.test").xml();

        org.post(response, null).then().statusCode(303);
        org.post(response, null).then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("replayed"));
    }

    @Test
    void anSpInitiatedSignInSendsAnAuthnRequestAndReturnsTheUserWhereTheyAsked() throws Exception {
        SsoFixture org = SsoFixture.create("sp-init");
        org.user("grace@acme.test", true);

        Response login = given().redirects().follow(false).queryParam("returnTo", "/projects/42?tab=x")
                .get("/saml/" + org.slug + "/login");
        login.then().statusCode(303).header("Location",
                startsWith("https://sso.jumpcloud.com/saml2/" + org.slug + "?SAMLRequest="));
        String request = authnRequest(login.getHeader("Location"));
        assertTrue(request.contains("AssertionConsumerServiceURL=\"" + org.acs + "\""), request);
        assertTrue(request.contains(org.spEntityId), request);
        String id = attribute(request, "ID");
        String browser = login.getCookie(BROWSER);

        postFrom(org, browser, org.response("grace@acme.test").inResponseTo(id).xml(), null).then().statusCode(303)
                .header("Location", "/projects/42?tab=x");
        postFrom(org, browser, org.response("grace@acme.test").inResponseTo(id).xml(), null).then().statusCode(400)
                .body(containsString("unknown-in-response-to"));
    }

    @Test
    void aSignInBelongsToTheBrowserThatStartedIt() throws Exception {
        SsoFixture org = SsoFixture.create("browser");
        org.user("ada@acme.test", true);
        Response startedInA = given().redirects().follow(false).get("/saml/" + org.slug + "/login");
        Response startedInB = given().redirects().follow(false).get("/saml/" + org.slug + "/login");
        String browserA = startedInA.getCookie(BROWSER);
        String browserB = startedInB.getCookie(BROWSER);
        String setCookie = startedInA.getHeader("Set-Cookie");
        assertTrue(setCookie.contains("Path=/saml/" + org.slug) && setCookie.contains("HttpOnly")
                && setCookie.contains("Secure") && setCookie.contains("SameSite=None")
                && setCookie.contains("Max-Age=600"),
                setCookie);
        assertNotEquals(browserA, browserB);
        String responseToA = org.response("ada@acme.test")
                .inResponseTo(attribute(authnRequest(startedInA.getHeader("Location")), "ID")).xml();

        // the attacker's own solicited response, delivered to the victim's browser (or to one with no cookie)
        postFrom(org, browserB, responseToA, null).then().statusCode(400).body(containsString("browser-mismatch"));
        Response noCookie = org.post(responseToA, null);
        noCookie.then().statusCode(400).body(containsString("browser-mismatch"));
        assertEquals(null, noCookie.getCookie("keyway_session"));

        // refused before anything was recorded: the browser that asked still signs in with the same response
        Response signedIn = postFrom(org, browserA, responseToA, null);
        signedIn.then().statusCode(303);
        session(signedIn);
        assertTrue(signedIn.getHeaders().getValues("Set-Cookie").stream()
                .anyMatch(cookie -> cookie.startsWith(BROWSER + "=;") && cookie.contains("Max-Age=0")
                        && cookie.contains("Path=/saml/" + org.slug)),
                "the binding is cleared after use");
        given().auth().oauth2(org.owner).get("/admin/orgs/" + org.slug + "/saml/logins").then().statusCode(200)
                .body("reason", contains("ok", "browser-mismatch", "browser-mismatch"));
    }

    @Test
    void signInsStartedInTwoTabsOfOneBrowserBothSucceed() throws Exception {
        SsoFixture org = SsoFixture.create("tabs");
        org.user("ada@acme.test", true);
        Response first = given().redirects().follow(false).get("/saml/" + org.slug + "/login");
        String browser = first.getCookie(BROWSER);
        Response second = given().redirects().follow(false).cookie(BROWSER, browser)
                .get("/saml/" + org.slug + "/login");
        assertEquals(browser, second.getCookie(BROWSER), "the browser keeps its value");

        for (Response started : new Response[]{ second, first }) {
            String id = attribute(authnRequest(started.getHeader("Location")), "ID");
            postFrom(org, browser, org.response("ada@acme.test").inResponseTo(id).xml(), null).then().statusCode(303);
        }
    }

    @Test
    void aResponseToAnotherOrganizationsRequestIsRefused() throws Exception {
        SsoFixture mine = SsoFixture.create("irt-mine");
        SsoFixture theirs = SsoFixture.create("irt-theirs");
        mine.user("ada@acme.test", true);
        String theirRequest = attribute(authnRequest(given().redirects().follow(false)
                .get("/saml/" + theirs.slug + "/login").getHeader("Location")), "ID");

        mine.post(mine.response("ada@acme.test").inResponseTo(theirRequest).xml(), null).then().statusCode(400)
                .body(containsString("unknown-in-response-to"));
    }

    @Test
    void aRelayStateIsFollowedOnlyToARelativePathOrAnAllowedHost() {
        SsoFixture org = SsoFixture.create("relay");
        org.user("ada@acme.test", true);
        org.settings(
                "{\"allowedRelayStateHosts\":[\"app.acme.test\"],\"defaultLandingUrl\":\"https://app.acme.test/home\"}")
                .then().statusCode(200);

        org.post(org.response("ada@acme.test").xml(), "https://evil.test/steal").then().statusCode(303)
                .header("Location", "https://app.acme.test/home");
        org.post(org.response("ada@acme.test").xml(), "//evil.test/steal").then()
                .header("Location", "https://app.acme.test/home");
        org.post(org.response("ada@acme.test").xml(), "https://app.acme.test/reports").then()
                .header("Location", "https://app.acme.test/reports");
        org.post(org.response("ada@acme.test").xml(), "/reports").then().header("Location", "/reports");
        // what browsers repair into an off-site target: tabs, backslashes and their encodings
        for (String offSite : new String[]{ "/\t/evil.test", "/%09/evil.test", "/%5cevil.test", "\\/evil.test",
                "https://app.acme.test@evil.test/", "javascript:alert(1)" }) {
            org.post(org.response("ada@acme.test").xml(), offSite).then().statusCode(303)
                    .header("Location", "https://app.acme.test/home");
        }
    }

    @Test
    void aRelayStateWithANewlineIsIgnoredNotA500() {
        SsoFixture org = SsoFixture.create("relay-crlf");
        org.user("ada@acme.test", true);

        for (String target : new String[]{ "/ok\r\nSet-Cookie: stolen=1", "/ok\nX: y", "/ok\u0000",
                "/ok%0d%0aX:%20y" }) {
            Response signedIn = org.post(org.response("ada@acme.test").xml(), target);
            signedIn.then().statusCode(303).header("Location", "/");
            assertEquals(null, signedIn.getHeader("X"));
            assertEquals(null, signedIn.getCookie("stolen"));
        }
        given().auth().oauth2(org.owner).get("/admin/orgs/" + org.slug + "/saml/logins").then().statusCode(200)
                .body("outcome", contains("success", "success", "success", "success"));
    }

    @Test
    void deactivatedAndUnknownUsersGetARefusalPageAndNoSession() {
        SsoFixture org = SsoFixture.create("refusals");
        org.user("gone@acme.test", false);

        Response inactive = org.post(org.response("gone@acme.test").xml(), null);
        inactive.then().statusCode(403).contentType(containsString("text/html")).body(containsString("user-inactive"));
        assertEquals(null, inactive.getCookie("keyway_session"));
        org.post(org.response("stranger@acme.test").xml(), null).then().statusCode(403)
                .body(containsString("user-unknown"));

        org.settings("{\"jitProvisioning\":true}").then().statusCode(200);
        org.post(org.response("newcomer@acme.test").attribute("firstName", "New").xml(), null).then().statusCode(303);
        assertEquals(1,
                TestPostgres.get().count("select count(*) from sso.login_user where email = ? and source = 'jit'",
                        "newcomer@acme.test"));
    }

    @Test
    void deactivatingOrDeletingAUserInTheDirectoryEndsTheirSessions() {
        SsoFixture org = SsoFixture.create("revoke");
        UUID user = org.user("ada@acme.test", true);
        String session = session(org.post(org.response("ada@acme.test").xml(), null));
        given().cookie("keyway_session", session).get("/session").then().statusCode(200);

        org.user(user, "ada@acme.test", false);

        await().atMost(Duration.ofSeconds(10)).until(() -> given().cookie("keyway_session", session).get("/session")
                .statusCode() == 401);
        given().cookie("keyway_session", session).get("/session").then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("user-inactive"));
        org.post(org.response("ada@acme.test").xml(), null).then().statusCode(403);
        given().get("/session").then().statusCode(401);
        given().cookie("keyway_session", "not-a-jwt").get("/session").then().statusCode(401);
    }

    @Test
    void signingOutEndsTheSession() {
        SsoFixture org = SsoFixture.create("logout");
        org.user("ada@acme.test", true);
        String session = session(org.post(org.response("ada@acme.test").xml(), null));

        given().cookie("keyway_session", session).post("/session/logout").then().statusCode(204);
        given().cookie("keyway_session", session).get("/session").then().statusCode(401);
    }

    @Test
    void spKeysDecryptOrSignEachForItsOwnUseAndAppearInMetadataUntilRetired() throws Exception {
        SsoFixture org = SsoFixture.create("sp-cert");
        org.user("ada@acme.test", true);
        String signingId = given().auth().oauth2(org.owner).post("/admin/orgs/" + org.slug + "/saml/sp-certificates")
                .then().statusCode(201).extract().path("id");
        String encryptionId = given().auth().oauth2(org.owner)
                .post("/admin/orgs/" + org.slug + "/saml/sp-certificates?use=encryption")
                .then().statusCode(201).extract().path("id");
        X509Certificate signing = spCertificate(org, signingId);
        X509Certificate encryption = spCertificate(org, encryptionId);

        String metadata = given().get("/saml/" + org.slug + "/metadata").then().statusCode(200)
                .contentType("application/samlmetadata+xml").extract().asString();
        String base64 = Base64.getEncoder().encodeToString(encryption.getEncoded());
        assertTrue(metadata.contains(base64) && metadata.contains("use=\"encryption\"")
                && metadata.contains("WantAssertionsSigned=\"true\"") && metadata.contains(org.acs), metadata);

        org.post(org.response("ada@acme.test").encryptedFor(encryption, SamlIdp.RSA_OAEP, SamlIdp.AES256_CBC).xml(),
                null)
                .then().statusCode(303);
        // a signing key never decrypts
        org.post(org.response("ada@acme.test").encryptedFor(signing, SamlIdp.RSA_OAEP, SamlIdp.AES256_CBC).xml(), null)
                .then().statusCode(400).body(containsString("not-verified"));
        String location = given().redirects().follow(false).get("/saml/" + org.slug + "/login").getHeader("Location");
        assertTrue(location.contains("&SigAlg=") && location.contains("&Signature="), location);
        assertTrue(verifiesRedirectSignature(location, signing), "the AuthnRequest is signed with the signing key");
        assertTrue(!verifiesRedirectSignature(location, encryption), "an encryption key never signs");

        given().auth().oauth2(org.owner).delete("/admin/orgs/" + org.slug + "/saml/sp-certificates/" + encryptionId)
                .then().statusCode(204);
        assertTrue(!given().get("/saml/" + org.slug + "/metadata").asString().contains(base64));
        org.post(org.response("ada@acme.test").encryptedFor(encryption, SamlIdp.RSA_OAEP, SamlIdp.AES256_CBC).xml(),
                null)
                .then().statusCode(400).body(containsString("not-verified"));
    }

    private static X509Certificate spCertificate(SsoFixture org, String id) throws Exception {
        String pem = given().auth().oauth2(org.owner).accept("application/x-pem-file")
                .get("/admin/orgs/" + org.slug + "/saml/sp-certificates/" + id)
                .then().statusCode(200).contentType("application/x-pem-file").extract().asString();
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes()));
    }

    @Test
    void theOrganizationsSignaturePolicyAndAlgorithmsApply() {
        SsoFixture org = SsoFixture.create("policy");
        org.user("ada@acme.test", true);
        org.settings("{\"signaturePolicy\":\"RESPONSE\"}").then().statusCode(200);

        org.post(org.response("ada@acme.test").xml(), null).then().statusCode(400).body(containsString("not-verified"));
        org.post(org.response("ada@acme.test").signed(false, true).xml(), null).then().statusCode(303);
        org.post(org.response("ada@acme.test").signed(false, true).signatureAlgorithm(SamlIdp.RSA_SHA1).xml(), null)
                .then().statusCode(400).body(containsString("not-verified"));
        org.settings("{\"signatureAlgorithms\":[\"RSA-SHA256\",\"RSA-SHA1\"]}").then().statusCode(200);
        org.post(org.response("ada@acme.test").signed(false, true).signatureAlgorithm(SamlIdp.RSA_SHA1).xml(), null)
                .then().statusCode(303);
        org.settings("{\"allowIdpInitiated\":false}").then().statusCode(200);
        org.post(org.response("ada@acme.test").signed(false, true).xml(), null).then().statusCode(400)
                .body(containsString("unsolicited-not-allowed"));
    }

    @Test
    void everyAttemptIsAuditedWithItsOutcomeAndReason() {
        SsoFixture org = SsoFixture.create("audit");
        UUID user = org.user("ada@acme.test", true);
        org.post(org.response("ada@acme.test").xml(), null).then().statusCode(303);
        org.post(org.response("ada@acme.test").audience("https://elsewhere.test").xml(), null).then().statusCode(400);

        given().auth().oauth2(org.owner).get("/admin/orgs/" + org.slug + "/saml/logins").then().statusCode(200)
                .body("outcome", contains("refused", "success"))
                .body("reason", contains("wrong-audience", "ok"))
                .body("[1].userId", equalTo(user.toString()))
                .body("[1].subject", equalTo("ada@acme.test"));
    }

    @Test
    void anOrganizationWithoutAnIdpSaysSo() {
        String slug = "bare-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(SsoFixture.OPERATOR).contentType("application/json")
                .body("{\"slug\":\"" + slug + "\",\"displayName\":\"Bare\",\"region\":\"api\"}").post("/admin/orgs")
                .then().statusCode(201);
        given().redirects().follow(false).get("/saml/" + slug + "/login").then().statusCode(404)
                .body(containsString("not-configured"));
        given().contentType("application/x-www-form-urlencoded").formParam("SAMLResponse", "PHNhbWw+")
                .post("/saml/" + slug + "/acs").then().statusCode(404).body(containsString("not-configured"));
        given().get("/saml/nobody-here/metadata").then().statusCode(404);
    }

    private static final String BROWSER = "keyway_saml_browser";

    /** Posts a SAMLResponse to the ACS from a browser holding this sign-in cookie. */
    private static Response postFrom(SsoFixture org, String browserCookie, String xml, String relayState) {
        var request = given().redirects().follow(false).cookie(BROWSER, browserCookie)
                .contentType("application/x-www-form-urlencoded")
                .formParam("SAMLResponse", Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8)));
        if (relayState != null) {
            request.formParam("RelayState", relayState);
        }
        return request.post("/saml/" + org.slug + "/acs");
    }

    /** The AuthnRequest XML inside an HTTP-Redirect location (base64 of raw DEFLATE). */
    static String authnRequest(String location) throws Exception {
        String encoded = query(location, "SAMLRequest");
        Inflater inflater = new Inflater(true);
        inflater.setInput(Base64.getDecoder().decode(encoded));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!inflater.finished()) {
            int read = inflater.inflate(buffer);
            if (read == 0 && inflater.needsInput()) {
                break;
            }
            out.write(buffer, 0, read);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String query(String location, String name) {
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalStateException(name + " not in " + location);
    }

    private static boolean verifiesRedirectSignature(String location, X509Certificate certificate)
            throws Exception {
        String raw = URI.create(location).getRawQuery();
        String signed = raw.substring(0, raw.indexOf("&Signature="));
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(signed.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(Base64.getDecoder().decode(query(location, "Signature")));
    }

    private static String attribute(String xml, String name) {
        Matcher matcher = Pattern.compile("\\s" + name + "=\"([^\"]+)\"").matcher(xml);
        assertTrue(matcher.find(), name + " in " + xml);
        return matcher.group(1);
    }
}
