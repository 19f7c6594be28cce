package dev.keyway.sso.saml;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;

import dev.keyway.sso.SsoFixture;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.SamlIdp;
import dev.keyway.testsupport.TestCertificates;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The ACS end to end on the defects of issue 10 it owns: signed data decides, replay records, bindings, outward answers. */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class SamlAcsHardeningTest {

    /** Item 8: the replay record lives until the assertion's latest time limit plus the organization's skew. */
    @Test
    void theReplayRecordOutlivesEveryTimeLimitOfTheAssertion() {
        SsoFixture org = SsoFixture.create("replay-expiry");
        org.user("ada@acme.test", true);
        org.settings("{\"clockSkewSeconds\":120}").then().statusCode(200);
        Instant conditionsUntil = Instant.now().plus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MILLIS);
        Instant confirmationUntil = conditionsUntil.plus(Duration.ofMinutes(85));
        SamlIdp.Response response = org.response("ada@acme.test").conditionsValidUntil(conditionsUntil)
                .confirmationValidUntil(confirmationUntil);
        String xml = response.xml();

        org.post(xml, null).then().statusCode(303);

        assertEquals(confirmationUntil.plusSeconds(120), replayRecordExpiry(response.assertionId()));
        org.post(xml, null).then().statusCode(400).body(containsString("replayed"));

        // no NotOnOrAfter in the Conditions: the confirmation's, not an hour from now
        SamlIdp.Response open = org.response("ada@acme.test").conditionsValidUntil(null)
                .confirmationValidUntil(confirmationUntil);
        org.post(open.xml(), null).then().statusCode(303);
        assertEquals(confirmationUntil.plusSeconds(120), replayRecordExpiry(open.assertionId()));
    }

    private static Instant replayRecordExpiry(String assertionId) {
        Object millis = TestPostgres.get().queryValue(
                "select (extract(epoch from expires_at) * 1000)::bigint from sso.saml_replay where assertion_id = ?",
                assertionId);
        return Instant.ofEpochMilli(((Number) millis).longValue());
    }

    /** Item 2: an IdP-initiated response whose unsigned wrapper names a pending request is not a solicited one. */
    @Test
    void anUnsolicitedResponseDressedAsAnAnswerIsRefusedAndTheRequestStaysOpen() throws Exception {
        SsoFixture org = SsoFixture.create("irt-signed");
        org.user("ada@acme.test", true);
        org.settings("{\"allowIdpInitiated\":false}").then().statusCode(200);
        String requestId = SamlBadInputTest.pendingRequest(org);

        String unsolicited = org.response("ada@acme.test").xml();
        String dressed = unsolicited.replaceFirst("<saml2p:Response ",
                "<saml2p:Response InResponseTo=\"" + requestId + "\" ");
        org.post(dressed, null).then().statusCode(400).body(containsString("in-response-to-mismatch"));
        assertEquals("in-response-to-mismatch", SamlBadInputTest.lastReason(org));

        // the request was not used up by the forgery: the real answer to it still finds it pending (and is then held
        // to the browser that started it, which this cookie-less post is not)
        org.post(org.response("ada@acme.test").inResponseTo(requestId).xml(), null).then().statusCode(400)
                .body(containsString("browser-mismatch"));
    }

    /** Item 9: the browser sees one answer for every signature and decryption failure; the log keeps the reason. */
    @Test
    void signatureAndDecryptionFailuresShowOneAnswerAndLogTheirReason() {
        SsoFixture org = SsoFixture.create("outward");
        org.user("ada@acme.test", true);
        TestCertificates.Identity otherSp = TestCertificates.selfSigned("another-sp");

        record Case(String xml, String loggedReason) {
        }
        for (Case failure : new Case[]{
                new Case(org.response("ada@acme.test").encryptedFor(otherSp.certificate(), SamlIdp.RSA_OAEP,
                        SamlIdp.AES256_CBC).xml(), "decryption-failed"),
                new Case(org.response("ada@acme.test").encryptedFor(otherSp.certificate(), SamlIdp.RSA_1_5,
                        SamlIdp.AES128_GCM).xml(), "encryption-algorithm-not-allowed"),
                new Case(org.response("ada@acme.test").xml().replace("ada@acme.test", "admin@acme.test"),
                        "signature-invalid"),
                new Case(org.response("ada@acme.test").signed(false, false).xml(), "signature-missing"),
                new Case(org.response("ada@acme.test").signatureAlgorithm(SamlIdp.RSA_SHA1).xml(),
                        "signature-algorithm-not-allowed") }) {
            String page = org.post(failure.xml(), null).then().statusCode(400)
                    .contentType(containsString("text/html")).body(containsString("not-verified"))
                    .body(not(containsString(failure.loggedReason()))).extract().asString();
            assertTrue(page.contains(Rejection.NOT_VERIFIED.description()), page);
            assertEquals(failure.loggedReason(), SamlBadInputTest.lastReason(org));
        }
    }

    /**
     * A deflated SAMLResponse sent by GET (the HTTP-Redirect binding) is refused for its binding: the query is never
     * read, so a bomb and garbage get the same answer, and one too large for a request line never reaches the ACS.
     */
    @Test
    void aDeflateBombSentByGetToTheAcsIsRefusedUnread() {
        SsoFixture org = SsoFixture.create("bomb");
        String bomb = deflatedZeros(1_000_000); // about 1 KB on the wire, 1 MB inflated
        assertTrue(URLEncoder.encode(bomb, StandardCharsets.UTF_8).length() < 3000, "fits in a request line");

        given().redirects().follow(false).queryParam("SAMLResponse", bomb)
                .get("/saml/" + org.slug + "/acs").then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("binding-not-supported"));
        assertEquals("binding-not-supported", SamlBadInputTest.lastReason(org));
        given().redirects().follow(false).queryParam("SAMLResponse", "%%% not deflate %%%")
                .get("/saml/" + org.slug + "/acs").then().statusCode(400).body(containsString("binding-not-supported"));

        String huge = deflatedZeros(1_000_000_000); // about 1 MB on the wire, 1 GB inflated
        int status = given().redirects().follow(false).queryParam("SAMLRequest", huge)
                .get("/saml/" + org.slug + "/acs").statusCode();
        assertTrue(status == 414 || status == 431 || status == 400, "status " + status);
    }

    private static String deflatedZeros(int size) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[1 << 20];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        for (int written = 0; written < size; written += zeros.length) {
            deflater.setInput(zeros, 0, Math.min(zeros.length, size - written));
            while (!deflater.needsInput()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
