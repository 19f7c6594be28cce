package dev.keyway.sso.connection;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.keyway.runtime.crypto.SecretBox;
import dev.keyway.sso.SsoFixture;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.SamlIdp;
import dev.keyway.testsupport.TestCertificates;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The owner's SAML set-up: what to paste into JumpCloud, and every way JumpCloud's side can be given to us. */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class SamlAdminTest {

    @Inject
    SamlConnections connections;

    @Inject
    SecretBox secrets;

    private static String newOrg() {
        String slug = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(SsoFixture.OPERATOR).contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"displayName\":\"Admin\",\"region\":\"api\"}").post("/admin/orgs")
                .then().statusCode(201);
        return slug;
    }

    private static RequestSpecification owner(String slug) {
        String token = given().auth().oauth2(SsoFixture.OPERATOR).post("/admin/orgs/" + slug + "/owner-tokens")
                .then().extract().path("token");
        return given().auth().oauth2(token);
    }

    @Test
    void theViewNamesWhatToPasteIntoJumpCloudBeforeAnythingIsConfigured() {
        String slug = newOrg();
        owner(slug).get("/admin/orgs/" + slug + "/saml").then().statusCode(200)
                .body("spEntityId", equalTo("http://localhost:8081/saml/" + slug + "/metadata"))
                .body("acsUrl", equalTo("http://localhost:8081/saml/" + slug + "/acs"))
                .body("loginUrl", equalTo("http://localhost:8081/saml/" + slug + "/login"))
                .body("configured", equalTo(false))
                .body("idp", nullValue())
                .body("settings.allowIdpInitiated", equalTo(true))
                .body("settings.clockSkewSeconds", equalTo(180))
                .body("settings.signatureAlgorithms", contains("RSA-SHA256", "RSA-SHA512"))
                .body("settings.jitProvisioning", equalTo(false))
                .body("settings.passwordLoginAllowed", equalTo(true));
    }

    @Test
    void jumpCloudsExportedMetadataConfiguresTheIdp() {
        String slug = newOrg();
        SamlIdp idp = SamlIdp.create("IdP Entity ID");
        owner(slug).contentType("application/samlmetadata+xml")
                .body(idp.metadata("https://sso.jumpcloud.com/saml2/x", false))
                .put("/admin/orgs/" + slug + "/saml/idp").then().statusCode(200)
                .body("configured", equalTo(true))
                .body("idp.entityId", equalTo("IdP Entity ID"))
                .body("idp.postUrl", equalTo("https://sso.jumpcloud.com/saml2/x"))
                .body("idp.redirectUrl", nullValue())
                .body("idp.certificates", hasSize(1))
                .body("idp.certificates[0].expiresSoon", equalTo(false));
        owner(slug).contentType("application/xml").body(idp.metadata("https://sso.jumpcloud.com/saml2/x", true))
                .put("/admin/orgs/" + slug + "/saml/idp").then().statusCode(200)
                .body("idp.redirectUrl", equalTo("https://sso.jumpcloud.com/saml2/x"));
    }

    @Test
    void certificatesPastedByHandAreReadHoweverTheyArrive() {
        String slug = newOrg();
        TestCertificates.Identity current = TestCertificates.selfSigned("JumpCloud current");
        TestCertificates.Identity next = TestCertificates.selfSigned("JumpCloud next");
        String withHeaders = current.certificatePem();
        String bareOneLine = next.certificateBase64();
        String quotedWithEscapedBreaks = "\"" + current.certificatePem().replace("\n", "\\n") + "\"";

        owner(slug).contentType(ContentType.JSON)
                .body("""
                {"entityId":"https://sso.jumpcloud.com/saml2/acme","ssoUrl":"https://sso.jumpcloud.com/saml2/acme",
                 "certificates":[%s,%s,%s]}""".formatted(json(withHeaders), json(bareOneLine),
                        json(quotedWithEscapedBreaks)))
                .put("/admin/orgs/" + slug + "/saml/idp").then().statusCode(200)
                .body("idp.certificates", hasSize(2))
                .body("idp.redirectUrl", equalTo("https://sso.jumpcloud.com/saml2/acme"));
    }

    @Test
    void anEntityIdAndACertificateAloneAreEnoughAndSignInThenStartsFromJumpCloud() {
        String slug = newOrg();
        SamlIdp idp = SamlIdp.create("https://sso.jumpcloud.com/saml2/" + slug);
        String quotedPem = "\"" + idp.identity().certificatePem() + "\"";
        owner(slug).contentType(ContentType.JSON)
                .body("{\"entityId\":" + json(idp.entityId()) + ",\"certificates\":[" + json(quotedPem) + "]}")
                .put("/admin/orgs/" + slug + "/saml/idp").then().statusCode(200)
                .body("configured", equalTo(true))
                .body("spInitiated", equalTo(false))
                .body("idp.entityId", equalTo(idp.entityId()))
                .body("idp.redirectUrl", nullValue())
                .body("idp.postUrl", nullValue())
                .body("idp.certificates", hasSize(1));
        // sign-in cannot start here without JumpCloud's SSO URL: the page says so, nothing is pending
        given().redirects().follow(false).get("/saml/" + slug + "/login").then().statusCode(404)
                .body(containsString("not-configured"));
        // from the JumpCloud user portal (IdP-initiated) it works: the response verifies against the pasted key
        String acs = "http://localhost:8081/saml/" + slug + "/acs";
        String xml = idp.response().to(acs, "http://localhost:8081/saml/" + slug + "/metadata")
                .nameId("nobody@acme.test", SamlIdp.NAMEID_EMAIL).xml();
        given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("SAMLResponse", Base64.getEncoder()
                        .encodeToString(xml.getBytes(StandardCharsets.UTF_8)))
                .post("/saml/" + slug + "/acs").then().statusCode(403).body(containsString("user-unknown"));
        // once the SSO URL is known, sign-in may start here too
        owner(slug).contentType(ContentType.JSON)
                .body("{\"entityId\":" + json(idp.entityId()) + ",\"ssoUrl\":\"https://sso.jumpcloud.com/saml2/x\","
                        + "\"certificates\":[" + json(idp.identity().certificatePem()) + "]}")
                .put("/admin/orgs/" + slug + "/saml/idp").then().statusCode(200).body("spInitiated", equalTo(true));
        given().redirects().follow(false).get("/saml/" + slug + "/login").then().statusCode(303);
    }

    @Test
    void anIdpCertificateExpiringWithinThirtyDaysFlagsTheOrganization() {
        String slug = newOrg();
        TestCertificates.Identity expiring = TestCertificates.selfSigned("soon",
                Instant.now().minus(300, ChronoUnit.DAYS),
                Instant.now().plus(10, ChronoUnit.DAYS));
        owner(slug).contentType(ContentType.JSON).body("{\"entityId\":\"x\",\"ssoUrl\":\"https://idp.test/sso\","
                + "\"certificates\":[" + json(expiring.certificatePem()) + "]}")
                .put("/admin/orgs/" + slug + "/saml/idp").then().statusCode(200)
                .body("certificateExpiresSoon", equalTo(true))
                .body("idp.certificates[0].expiresSoon", equalTo(true));
    }

    @Test
    void badMetadataAndBadCertificatesAreRefusedNamingWhatIsWrong() {
        String slug = newOrg();
        String path = "/admin/orgs/" + slug + "/saml/idp";
        problem(owner(slug).contentType("application/xml").body("<not-closed").put(path), "not well-formed");
        problem(owner(slug).contentType("application/xml")
                .body("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                        + "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"&e;\"/>")
                .put(path),
                "DTDs are refused");
        problem(owner(slug).contentType("application/xml")
                .body("<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:"
                        + "2.0:metadata\" entityID=\"x\"/>")
                .put(path), "no IDPSSODescriptor");
        problem(owner(slug).contentType("application/xml").body(SamlIdp.create("x").metadata("https://idp.test", true)
                .replaceAll("<ds:X509Certificate>[^<]+</ds:X509Certificate>",
                        "<ds:X509Certificate>bm90IGEgY2VydA==</ds:X509Certificate>"))
                .put(path), "signing certificate 1: not an X.509 certificate");
        problem(owner(slug).contentType(ContentType.JSON).body("{\"entityId\":\"x\",\"ssoUrl\":\"https://idp.test\","
                + "\"certificates\":[" + json(TestCertificates.selfSigned("ok").certificatePem()) + ",\"@@@\"]}")
                .put(path), "certificates[1]: not base64");
        problem(owner(slug).contentType(ContentType.JSON).body("{\"entityId\":\"x\",\"ssoUrl\":\"ftp://idp.test\","
                + "\"certificates\":[]}").put(path), "ssoUrl");
        problem(owner(slug).contentType(ContentType.JSON).body("{\"ssoUrl\":\"https://idp.test\"}").put(path),
                "entityId");
        owner(slug).get("/admin/orgs/" + slug + "/saml").then().body("configured", equalTo(false));
    }

    @Test
    void aMetadataUrlIsFetchedAndItsDocumentTrusted() throws IOException {
        String slug = newOrg();
        SamlIdp idp = SamlIdp.create("https://sso.jumpcloud.com/saml2/fetched");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/organizations/o1/applications/a1/metadata.xml", exchange -> {
            byte[] body = idp.metadata("https://sso.jumpcloud.com/saml2/fetched", true)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort()
                    + "/api/organizations/o1/applications/a1/metadata.xml";
            owner(slug).contentType(ContentType.JSON).body("{\"metadataUrl\":\"" + url + "\"}")
                    .put("/admin/orgs/" + slug + "/saml/idp").then().statusCode(200)
                    .body("idp.entityId", equalTo("https://sso.jumpcloud.com/saml2/fetched"))
                    .body("idp.metadataUrl", equalTo(url));
            problem(owner(slug).contentType(ContentType.JSON).body("{\"metadataUrl\":\"http://127.0.0.1:"
                    + server.getAddress().getPort() + "/missing\"}").put("/admin/orgs/" + slug + "/saml/idp"),
                    "could not be fetched (error-status)");
        } finally {
            server.stop(0);
        }
        problem(owner(slug).contentType(ContentType.JSON).body("{\"metadataUrl\":\"ftp://idp.test/m.xml\"}")
                .put("/admin/orgs/" + slug + "/saml/idp"), "https://");
    }

    @Test
    void settingsChangeFieldByFieldAndRefuseNonsense() {
        String slug = newOrg();
        String path = "/admin/orgs/" + slug + "/saml/settings";
        owner(slug).contentType(ContentType.JSON).body("{\"clockSkewSeconds\":60,\"groupsAttribute\":\"memberOf\","
                + "\"passwordLoginAllowed\":false}").patch(path).then().statusCode(200)
                .body("clockSkewSeconds", equalTo(60)).body("groupsAttribute", equalTo("memberOf"))
                .body("passwordLoginAllowed", equalTo(false)).body("allowIdpInitiated", equalTo(true));
        owner(slug).contentType(ContentType.JSON).body("{\"jitProvisioning\":true}").patch(path).then()
                .body("clockSkewSeconds", equalTo(60)).body("jitProvisioning", equalTo(true));

        problem(owner(slug).contentType(ContentType.JSON).body("{\"clockSkew\":5}").patch(path),
                "unknown setting 'clockSkew'");
        problem(owner(slug).contentType(ContentType.JSON).body("{\"signatureAlgorithms\":[\"HMAC-MD5\"]}").patch(path),
                "signatureAlgorithms");
        problem(owner(slug).contentType(ContentType.JSON).body("{\"signaturePolicy\":\"SOMETIMES\"}").patch(path),
                "signaturePolicy");
        problem(owner(slug).contentType(ContentType.JSON).body("{\"clockSkewSeconds\":3600}").patch(path),
                "clockSkewSeconds");
        problem(owner(slug).contentType(ContentType.JSON).body("{\"defaultLandingUrl\":\"javascript:alert(1)\"}")
                .patch(path),
                "defaultLandingUrl");
        owner(slug).get("/admin/orgs/" + slug + "/saml").then().body("settings.clockSkewSeconds", equalTo(60));
    }

    @Test
    void anSpPrivateKeyIsNeverShownAndIsSealedAtRest() {
        String slug = newOrg();
        String body = owner(slug).post("/admin/orgs/" + slug + "/saml/sp-certificates").then().statusCode(201)
                .body("pem", containsString("BEGIN CERTIFICATE")).extract().asString();
        owner(slug).get("/admin/orgs/" + slug + "/saml").then()
                .body("spCertificates", hasSize(1))
                .body(not(containsString("PRIVATE KEY")));
        assertFalse(body.contains("PRIVATE"));
        assertEquals(0,
                TestPostgres.get().count("select count(*) from sso.sp_key where private_key not like 'v1:test:%'"));
    }

    @Test
    void anotherOrganizationsOwnerCannotReadOrChangeIt() {
        String mine = newOrg();
        String theirs = newOrg();
        owner(mine).get("/admin/orgs/" + theirs + "/saml").then().statusCode(403);
        owner(mine).post("/admin/orgs/" + theirs + "/saml/sp-certificates").then().statusCode(403);
        owner(mine).contentType(ContentType.JSON).body("{\"jitProvisioning\":true}")
                .patch("/admin/orgs/" + theirs + "/saml/settings").then().statusCode(403);
    }

    @Test
    void metadataWhoseSingleSignOnUrlIsNotHttpsIsRefusedAndNothingIsSaved() throws IOException {
        String slug = newOrg();
        String path = "/admin/orgs/" + slug + "/saml/idp";
        SamlIdp idp = SamlIdp.create("https://sso.jumpcloud.com/saml2/trusted");
        owner(slug).contentType("application/xml").body(idp.metadata("https://sso.jumpcloud.com/saml2/trusted", false))
                .put(path).then().statusCode(200);
        SamlIdp attacker = SamlIdp.create("https://idp.attacker.test");
        for (String location : new String[]{ "javascript:alert(document.cookie)",
                "data:text/html,&lt;script&gt;x&lt;/script&gt;",
                "/saml2/relative" }) {
            problem(owner(slug).contentType("application/xml").body(attacker.metadata(location, false)).put(path),
                    "metadata: SingleSignOnService Location (HTTP-POST): ");
        }
        problem(owner(slug).contentType(ContentType.JSON).body("{\"entityId\":\"x\",\"ssoUrl\":\"javascript:alert(1)\","
                + "\"certificates\":[" + json(attacker.identity().certificatePem()) + "]}").put(path), "ssoUrl: ");

        // the same check when the metadata comes from a URL
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metadata.xml", exchange -> {
            byte[] body = attacker.metadata("javascript:alert(1)", true).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            problem(owner(slug).contentType(ContentType.JSON).body("{\"metadataUrl\":\"http://127.0.0.1:"
                    + server.getAddress().getPort() + "/metadata.xml\"}").put(path),
                    "metadata: SingleSignOnService Location (HTTP-Redirect): ");
        } finally {
            server.stop(0);
        }
        owner(slug).get("/admin/orgs/" + slug + "/saml").then()
                .body("idp.entityId", equalTo("https://sso.jumpcloud.com/saml2/trusted"))
                .body("idp.postUrl", equalTo("https://sso.jumpcloud.com/saml2/trusted"))
                .body("idp.certificates[0].fingerprint",
                        equalTo(Certificates.sha256Fingerprint(idp.certificate())));
    }

    @Test
    void aMetadataUrlRedirectingToTheCloudMetadataServiceIsRefusedRevealingNothing() throws IOException {
        String slug = newOrg();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metadata.xml", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        try {
            owner(slug).contentType(ContentType.JSON).body("{\"metadataUrl\":\"http://127.0.0.1:"
                    + server.getAddress().getPort() + "/metadata.xml\"}").put("/admin/orgs/" + slug + "/saml/idp")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("detail",
                            equalTo("metadataUrl: the metadata URL could not be fetched (address-not-allowed)."))
                    .body("reason", equalTo("address-not-allowed"))
                    .body(not(containsString("169.254")));
        } finally {
            server.stop(0);
        }
        owner(slug).get("/admin/orgs/" + slug + "/saml").then().body("configured", equalTo(false));
    }

    @Test
    void spKeysHaveOneUseEachAnnouncedAsSuchInMetadata() {
        String slug = newOrg();
        String base = "/admin/orgs/" + slug + "/saml/sp-certificates";
        String signing = owner(slug).post(base).then().statusCode(201).body("use", equalTo("signing"))
                .extract().path("pem");
        String encryption = owner(slug).post(base + "?use=encryption").then().statusCode(201)
                .body("use", equalTo("encryption")).extract().path("pem");
        problem(owner(slug).post(base + "?use=everything"), "use: ");

        String metadata = given().get("/saml/" + slug + "/metadata").then().statusCode(200).extract().asString();
        String signingDescriptor = keyDescriptor(metadata, "signing");
        String encryptionDescriptor = keyDescriptor(metadata, "encryption");
        assertTrue(signingDescriptor.contains(base64(signing)) && !signingDescriptor.contains(base64(encryption)),
                metadata);
        assertTrue(encryptionDescriptor.contains(base64(encryption)) && !encryptionDescriptor.contains(base64(signing)),
                metadata);
        owner(slug).get("/admin/orgs/" + slug + "/saml").then()
                .body("spCertificates.use", contains("signing", "encryption"));
    }

    @Test
    void anOrganizationHoldsAFewSpKeysPerUseAndTheNextIsRefusedWithoutBeingWritten() {
        String slug = newOrg();
        String base = "/admin/orgs/" + slug + "/saml/sp-certificates";
        owner(slug).post(base).then().statusCode(201);
        owner(slug).post(base + "?use=signing").then().statusCode(201);
        owner(slug).post(base).then().statusCode(409).contentType("application/problem+json")
                .body("reason", equalTo("sp-key-limit")).body("detail", containsString("retire one first"));
        assertEquals(2, spKeys(slug));
        // the cap is per use, and retiring a key makes room again
        String encryption = owner(slug).post(base + "?use=encryption").then().statusCode(201).extract().path("id");
        owner(slug).delete(base + "/" + encryption).then().statusCode(204);
        owner(slug).post(base + "?use=encryption").then().statusCode(201);
        assertEquals(3, spKeys(slug));
    }

    @Test
    void aSealedSpKeyMovedToAnotherOrganizationDoesNotOpenThere() {
        String mine = newOrg();
        String theirs = newOrg();
        String moved = owner(mine).post("/admin/orgs/" + mine + "/saml/sp-certificates").then().statusCode(201)
                .extract().path("id");
        assertNotNull(signingKey(mine).privateKey(), "opens in its own organization");

        TestPostgres.get().queryValue("update sso.sp_key set org_id = (select id from sso.organization where slug = ?)"
                + " where id = ?::uuid returning id", theirs, moved);

        SamlConnection.SpKey stolen = signingKey(theirs);
        assertEquals(moved, stolen.id().toString());
        IllegalStateException refused = assertThrows(IllegalStateException.class, stolen::privateKey);
        assertTrue(refused.getMessage().contains("does not open"), refused.getMessage());
        // the public metadata page never opens a private key, so it still answers
        given().get("/saml/" + theirs + "/metadata").then().statusCode(200);
    }

    @Test
    void anSpKeyMadeBeforeKeysHadAUseSignsAndDecryptsAndStillOpensUntilRetired() {
        String slug = newOrg();
        TestCertificates.Identity legacy = TestCertificates.selfSigned("Keyway SP legacy");
        UUID id = UUID.randomUUID();
        // as V2 wrote it: sealed to "sp-key:<id>" only, and (after V4) marked for both uses
        TestPostgres.get().queryValue("insert into sso.sp_key (id, org_id, certificate, key_use, private_key,"
                + " sealed_for_org, not_after) select ?, id, ?, 'both', ?, false, now() + interval '1 year'"
                + " from sso.organization where slug = ? returning id", id, Certificates.der(legacy.certificate()),
                secrets.seal(legacy.keys().getPrivate().getEncoded(), "sp-key:" + id), slug);

        SamlConnection connection = connections.load(slug).await().atMost(Duration.ofSeconds(10));
        assertEquals(id, connection.signingKey().orElseThrow().id());
        assertEquals(List.of(id), connection.decryptionKeys().stream().map(SamlConnection.SpKey::id).toList());
        assertEquals(legacy.keys().getPrivate(), connection.signingKey().orElseThrow().privateKey());
        owner(slug).get("/admin/orgs/" + slug + "/saml").then().body("spCertificates[0].use", equalTo("both"));
    }

    private SamlConnection.SpKey signingKey(String slug) {
        return connections.load(slug).await().atMost(Duration.ofSeconds(10)).signingKey().orElseThrow();
    }

    private static long spKeys(String slug) {
        return TestPostgres.get().count("select count(*) from sso.sp_key k join sso.organization o on o.id = k.org_id"
                + " where o.slug = ? and k.retired_at is null", slug);
    }

    private static String keyDescriptor(String metadata, String use) {
        int start = metadata.indexOf("<md:KeyDescriptor use=\"" + use + "\">");
        assertTrue(start >= 0, metadata);
        return metadata.substring(start, metadata.indexOf("</md:KeyDescriptor>", start));
    }

    private static String base64(String pem) {
        return pem.replaceAll("-----(BEGIN|END) CERTIFICATE-----|\\s", "");
    }

    private static void problem(Response response, String detail) {
        response.then().statusCode(400).contentType("application/problem+json").body("detail", containsString(detail));
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
