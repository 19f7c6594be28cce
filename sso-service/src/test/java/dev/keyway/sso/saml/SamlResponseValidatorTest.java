package dev.keyway.sso.saml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensaml.security.credential.Credential;
import org.opensaml.security.x509.BasicX509Credential;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import dev.keyway.sso.connection.IdpMetadata;
import dev.keyway.sso.saml.SamlResponseValidator.Expectations;
import dev.keyway.sso.saml.SamlResponseValidator.Validated;
import dev.keyway.testsupport.SamlIdp;
import dev.keyway.testsupport.TestCertificates;

/**
 * The validator against a genuine JumpCloud response, against every JumpCloud variant produced by an independent
 * implementation (xmlsec1), and against one crafted response per known attack, each refused for its own reason.
 */
class SamlResponseValidatorTest {

    static final String ACS = "https://api-keyway.test/saml/acme/acs";
    static final String SP = "https://api-keyway.test/saml/acme/metadata";
    static final SamlIdp IDP = SamlIdp.create("https://sso.jumpcloud.com/saml2/keyway-acme");
    static final TestCertificates.Identity SP_KEYS = TestCertificates.selfSigned("keyway-sp-acme");
    static final String SAML = "urn:oasis:names:tc:SAML:2.0:assertion";

    private final SamlResponseValidator validator = new SamlResponseValidator();

    @BeforeAll
    static void openSaml() {
        OpenSaml.initialize();
    }

    /** The expectations of the organization "acme" whose IdP is {@link #IDP}; adjusted per test. */
    static final class Expect {

        String idpEntityId = IDP.entityId();
        List<X509Certificate> certificates = new ArrayList<>(List.of(IDP.certificate()));
        String spEntityId = SP;
        String acsUrl = ACS;
        SignaturePolicy policy = SignaturePolicy.EITHER;
        Set<String> algorithms = Set.of(SignatureAlgorithms.RSA_SHA256, SignatureAlgorithms.RSA_SHA512);
        boolean allowUnsolicited = true;
        String pendingRequestId;
        List<Credential> decryptionKeys = List.of(new BasicX509Credential(SP_KEYS.certificate(),
                SP_KEYS.keys().getPrivate()));

        Expectations build() {
            return new Expectations(idpEntityId, certificates, spEntityId, acsUrl, policy, algorithms,
                    Duration.ofMinutes(3), allowUnsolicited, pendingRequestId, decryptionKeys);
        }
    }

    private Validated validate(String xml, Expect expect) {
        return validator.validate(SamlResponseValidator.parse(xml.getBytes(StandardCharsets.UTF_8)), expect.build(),
                Instant.now());
    }

    private void rejected(Rejection reason, String xml, Expect expect) {
        SamlRejectedException error = assertThrows(SamlRejectedException.class, () -> validate(xml, expect));
        assertEquals(reason, error.reason(), error.getMessage());
    }

    private void rejected(Rejection reason, String xml) {
        rejected(reason, xml, new Expect());
    }

    private static SamlIdp.Response response() {
        return IDP.response().to(ACS, SP).nameId("ada@acme.test", SamlIdp.NAMEID_EMAIL);
    }

    @Test
    void aGenuineJumpCloudResponseIsAccepted() throws IOException {
        IdpMetadata.Descriptor metadata = IdpMetadata.parse(resource("metadata.xml"));
        Expect expect = new Expect();
        expect.idpEntityId = metadata.entityId();
        expect.certificates = metadata.signingCertificates();
        expect.spEntityId = "ssoready-entity-id";
        expect.acsUrl = "http://localhost";

        Validated login = validator.validate(SamlResponseValidator.parse(resource("assertion.xml")
                .getBytes(StandardCharsets.UTF_8)), expect.build(), Instant.parse("2023-11-18T16:43:05.562Z"));

        assertEquals("IdP Entity ID", metadata.entityId());
        assertEquals("ulysse.carion@codomaindata.com", login.nameId());
        assertEquals("UQCW5ZYPIJUA5HQCFIIJQFKUTA7B4QPKZU5T1ZEE", login.assertionId());
        // remembered against replay until its last time limit (16:48:05.562Z) plus the three minutes of skew
        assertEquals(Instant.parse("2023-11-18T16:51:05.562Z"), login.keepUntil());
    }

    @Test
    void theGenuineResponseFailsWhereItShould() throws IOException {
        IdpMetadata.Descriptor metadata = IdpMetadata.parse(resource("metadata.xml"));
        Expect expect = new Expect();
        expect.idpEntityId = metadata.entityId();
        expect.certificates = metadata.signingCertificates();
        expect.spEntityId = "ssoready-entity-id";
        expect.acsUrl = "http://localhost";
        byte[] genuine = resource("assertion.xml").getBytes(StandardCharsets.UTF_8);

        assertEquals(Rejection.EXPIRED, assertThrows(SamlRejectedException.class, () -> validator.validate(
                SamlResponseValidator.parse(genuine), expect.build(), Instant.parse("2023-11-18T17:00:00Z"))).reason());
        expect.policy = SignaturePolicy.RESPONSE;
        assertEquals(Rejection.SIGNATURE_MISSING, assertThrows(SamlRejectedException.class, () -> validator.validate(
                SamlResponseValidator.parse(genuine), expect.build(), Instant.parse("2023-11-18T16:43:05.562Z")))
                .reason());
        expect.policy = SignaturePolicy.EITHER;
        expect.certificates = List.of(IDP.certificate());
        assertEquals(Rejection.SIGNATURE_INVALID, assertThrows(SamlRejectedException.class, () -> validator.validate(
                SamlResponseValidator.parse(genuine), expect.build(), Instant.parse("2023-11-18T16:43:05.562Z")))
                .reason());
    }

    static Stream<Arguments> jumpCloudVariants() {
        List<Arguments> variants = new ArrayList<>();
        for (boolean[] signing : new boolean[][]{ { true, false }, { false, true }, { true, true } }) {
            for (String format : List.of(SamlIdp.NAMEID_EMAIL, SamlIdp.NAMEID_PERSISTENT, SamlIdp.NAMEID_UNSPECIFIED)) {
                variants.add(Arguments.of(signing[0], signing[1], format, null, null));
            }
            variants.add(
                    Arguments.of(signing[0], signing[1], SamlIdp.NAMEID_EMAIL, SamlIdp.RSA_OAEP, SamlIdp.AES256_CBC));
            variants.add(Arguments.of(signing[0], signing[1], SamlIdp.NAMEID_UNSPECIFIED, SamlIdp.RSA_OAEP,
                    SamlIdp.AES128_GCM));
        }
        return variants.stream();
    }

    @ParameterizedTest(name = "assertion signed {0}, response signed {1}, {2}, {3} {4}")
    @MethodSource("jumpCloudVariants")
    void everyJumpCloudVariantSignedByAnotherImplementationIsAccepted(boolean signAssertion, boolean signResponse,
            String nameIdFormat, String keyTransport, String dataEncryption) {
        SamlIdp.Response response = IDP.response().to(ACS, SP).nameId("grace@acme.test", nameIdFormat)
                .attribute("firstname", "Grace").attribute("memberOf", "Engineering", "Admirals")
                .signed(signAssertion, signResponse);
        if (keyTransport != null) {
            response.encryptedFor(SP_KEYS.certificate(), keyTransport, dataEncryption);
        }

        Validated login = validate(response.xml(), new Expect());

        assertEquals("grace@acme.test", login.nameId());
        assertEquals(nameIdFormat, login.nameIdFormat());
        assertEquals(response.assertionId(), login.assertionId());
        assertEquals(List.of("Grace"), login.attribute("FirstName"));
        assertEquals(List.of("Engineering", "Admirals"), login.attribute("memberof"));
    }

    @Test
    void spInitiatedResponsesMustAnswerAPendingRequestOfThisOrganization() {
        String answered = response().inResponseTo("_request-1").xml();
        Expect expect = new Expect();
        expect.pendingRequestId = "_request-1";
        assertEquals("_request-1", validate(answered, expect).inResponseTo());

        expect.pendingRequestId = null;
        rejected(Rejection.UNKNOWN_IN_RESPONSE_TO, answered, expect);
        expect.pendingRequestId = "_request-2";
        rejected(Rejection.UNKNOWN_IN_RESPONSE_TO, answered, expect);

        Expect noUnsolicited = new Expect();
        noUnsolicited.allowUnsolicited = false;
        rejected(Rejection.UNSOLICITED_NOT_ALLOWED, response().xml(), noUnsolicited);
    }

    /** Issue 10, item 2: the unsigned wrapper's InResponseTo used to decide; now only signed data does. */
    @Test
    void anUnsolicitedResponseCannotPassAsSolicitedThroughItsUnsignedWrapper() throws IOException {
        Expect noUnsolicited = new Expect();
        noUnsolicited.allowUnsolicited = false;
        noUnsolicited.pendingRequestId = "_request-1";
        // an IdP-initiated response (only the assertion signed), the wrapper claiming to answer a pending request
        rejected(Rejection.IN_RESPONSE_TO_MISMATCH, claimInResponseTo(response().xml(), "_request-1"), noUnsolicited);

        // the genuine JumpCloud response, likewise
        Expect genuine = genuineExpectations();
        genuine.allowUnsolicited = false;
        genuine.pendingRequestId = "_request-1";
        SamlRejectedException error = assertThrows(SamlRejectedException.class, () -> validator.validate(
                SamlResponseValidator.parse(claimInResponseTo(resource("assertion.xml"), "_request-1")
                        .getBytes(StandardCharsets.UTF_8)),
                genuine.build(), GENUINE_NOW));
        assertEquals(Rejection.IN_RESPONSE_TO_MISMATCH, error.reason());
    }

    @Test
    void theWrapperMustClaimTheRequestTheSignatureCovers() {
        Expect expect = new Expect();
        expect.pendingRequestId = "_request-2";
        String answered = response().inResponseTo("_request-1").xml();
        rejected(Rejection.IN_RESPONSE_TO_MISMATCH, answered.replace("InResponseTo=\"_request-1\" IssueInstant",
                "InResponseTo=\"_request-2\" IssueInstant"), expect);
        // the claim removed: the signed assertion still answers _request-1, which this organization did not send
        rejected(Rejection.IN_RESPONSE_TO_MISMATCH, answered.replace(" InResponseTo=\"_request-1\" IssueInstant",
                " IssueInstant"), new Expect());

        // a signed Response decides by its own InResponseTo
        Expect pending = new Expect();
        pending.pendingRequestId = "_request-1";
        assertEquals("_request-1", validate(response().inResponseTo("_request-1").signed(false, true).xml(), pending)
                .inResponseTo());
        assertEquals(null, validate(response().signed(false, true).xml(), new Expect()).inResponseTo());
    }

    /** Issue 10, item 8: kept until the latest time limit of the assertion plus skew, never a fixed hour. */
    @Test
    void theReplayRecordIsKeptUntilTheAssertionsLatestTimeLimitPlusSkew() {
        Instant conditionsUntil = Instant.now().plus(Duration.ofMinutes(5))
                .truncatedTo(ChronoUnit.MILLIS);
        Instant confirmationUntil = conditionsUntil.plus(Duration.ofMinutes(85));
        Duration skew = Duration.ofMinutes(3);

        assertEquals(confirmationUntil.plus(skew), validate(response().conditionsValidUntil(conditionsUntil)
                .confirmationValidUntil(confirmationUntil).xml(), new Expect()).keepUntil());
        assertEquals(confirmationUntil.plus(skew), validate(response().conditionsValidUntil(null)
                .confirmationValidUntil(confirmationUntil).xml(), new Expect()).keepUntil());
        assertEquals(confirmationUntil.plus(skew), validate(response().conditionsValidUntil(confirmationUntil)
                .confirmationValidUntil(conditionsUntil).xml(), new Expect()).keepUntil());
    }

    /** Issue 10, item 9. */
    @Test
    void rsa15KeyTransportIsRefusedBeforeAnyKeyIsUsed() {
        for (boolean[] signing : new boolean[][]{ { true, false }, { false, true }, { true, true } }) {
            rejected(Rejection.ENCRYPTION_ALGORITHM_NOT_ALLOWED, response().signed(signing[0], signing[1])
                    .encryptedFor(SP_KEYS.certificate(), SamlIdp.RSA_1_5, SamlIdp.AES128_GCM).xml());
        }
    }

    @Test
    void anEncryptedAssertionMustBeSignedUnlessTheResponseIs() {
        // an attacker can encrypt to the SP's public certificate: encryption alone proves nothing
        rejected(Rejection.SIGNATURE_MISSING, response().signed(false, false)
                .encryptedFor(SP_KEYS.certificate(), SamlIdp.RSA_OAEP, SamlIdp.AES256_GCM).xml());
        // a policy that wants the Response signed refuses before decrypting: without keys, decryption would fail
        Expect responseRequired = new Expect();
        responseRequired.policy = SignaturePolicy.RESPONSE;
        responseRequired.decryptionKeys = List.of();
        rejected(Rejection.SIGNATURE_MISSING, response().encryptedFor(SP_KEYS.certificate(), SamlIdp.RSA_OAEP,
                SamlIdp.AES256_GCM).xml(), responseRequired);
    }

    /** The AES-GCM tag is checked (CVE-2026-32313 in xmlseclibs accepted tampered GCM ciphertexts). */
    @Test
    void aTamperedCiphertextIsNotDecrypted() {
        String encrypted = response().encryptedFor(SP_KEYS.certificate(), SamlIdp.RSA_OAEP, SamlIdp.AES256_GCM).xml();
        Matcher values = Pattern.compile("<xenc:CipherValue>([^<]+)</xenc:CipherValue>")
                .matcher(encrypted);
        String data = null;
        while (values.find()) {
            data = values.group(1); // the last CipherValue is the EncryptedData's
        }
        byte[] bytes = Base64.getMimeDecoder().decode(data);
        bytes[bytes.length / 2] ^= 1;
        rejected(Rejection.DECRYPTION_FAILED,
                encrypted.replace(data, Base64.getEncoder().encodeToString(bytes)));
    }

    @Test
    void everySignatureAndDecryptionFailureLooksTheSameToTheBrowser() {
        List<Rejection> family = List.of(Rejection.SIGNATURE_INVALID, Rejection.SIGNATURE_MISSING,
                Rejection.SIGNATURE_ALGORITHM_NOT_ALLOWED, Rejection.DECRYPTION_FAILED,
                Rejection.ENCRYPTION_ALGORITHM_NOT_ALLOWED);
        for (Rejection reason : family) {
            assertEquals(Rejection.NOT_VERIFIED, reason.outward(), reason.name());
        }
        assertEquals(Rejection.WRONG_AUDIENCE, Rejection.WRONG_AUDIENCE.outward());
        assertEquals(Rejection.USER_INACTIVE, Rejection.USER_INACTIVE.outward());
    }

    /** Issue 10, item 10: the profile rules Spring Security enforces. */
    @Test
    void onlySaml20IsAccepted() {
        rejected(Rejection.WRONG_VERSION, response().assertionVersion("1.1").xml());
        // the unsigned wrapper of an assertion-signed response
        rejected(Rejection.WRONG_VERSION, response().xml()
                .replaceFirst("(<saml2p:Response [^>]*) Version=\"2.0\"", "$1 Version=\"1.1\""));
        rejected(Rejection.WRONG_VERSION, response().xml()
                .replaceFirst("(<saml2p:Response [^>]*) Version=\"2.0\"", "$1"));
    }

    @Test
    void aResponseIssuerWhenPresentMustBeTheIdp() throws IOException {
        Expect genuine = genuineExpectations();
        String xml = resource("assertion.xml");
        String wrapperIssuer = "Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:entity\">IdP Entity ID</saml2:Issuer>"
                + "<saml2p:Status>";
        assertEquals(Rejection.WRONG_ISSUER, assertThrows(SamlRejectedException.class, () -> validator.validate(
                SamlResponseValidator.parse(xml.replace(wrapperIssuer, wrapperIssuer.replace("IdP Entity ID",
                        "https://evil-idp.test")).getBytes(StandardCharsets.UTF_8)),
                genuine.build(), GENUINE_NOW))
                .reason());
        assertEquals(Rejection.WRONG_ISSUER, assertThrows(SamlRejectedException.class, () -> validator.validate(
                SamlResponseValidator.parse(xml.replace(wrapperIssuer, wrapperIssuer.replace("nameid-format:entity",
                        "nameid-format:emailAddress")).getBytes(StandardCharsets.UTF_8)),
                genuine.build(), GENUINE_NOW))
                .reason());
        // absent: allowed (the signed assertion's Issuer is then the one checked)
        String withoutIssuer = xml.replaceFirst("<saml2:Issuer xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\" "
                + "Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:entity\">IdP Entity ID</saml2:Issuer>", "");
        assertEquals("ulysse.carion@codomaindata.com", validator.validate(SamlResponseValidator.parse(withoutIssuer
                .getBytes(StandardCharsets.UTF_8)), genuine.build(), GENUINE_NOW).nameId());
    }

    @Test
    void aConditionThisSpDoesNotUnderstandRefusesTheAssertion() {
        rejected(Rejection.UNKNOWN_CONDITION, response().extraCondition("<saml2:Condition "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:ext=\"urn:example:conditions\" "
                + "xsi:type=\"ext:OnlyOnTuesdays\"/>").xml());
        rejected(Rejection.UNKNOWN_CONDITION, response().extraCondition(
                "<ext:DeviceBound xmlns:ext=\"urn:example:conditions\"/>").xml());
        assertEquals("ada@acme.test", validate(response().extraCondition("<saml2:OneTimeUse/>"
                + "<saml2:ProxyRestriction Count=\"0\"/>").xml(), new Expect()).nameId());
    }

    @Test
    void anAssertionWithoutAnAuthnStatementIsRefused() {
        rejected(Rejection.AUTHN_STATEMENT_MISSING, response().withoutAuthnStatement().xml());
    }

    /** Issue 10, item 11: no exception of a library leaves the validator untyped. */
    @Test
    void aDigestMethodWithoutAlgorithmIsATypedRefusal() throws IOException {
        String digestMethod = "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>";
        rejected(Rejection.SIGNATURE_INVALID, response().xml().replace(digestMethod, "<ds:DigestMethod/>"));
        rejected(Rejection.SIGNATURE_INVALID, response().signed(false, true).xml().replace(digestMethod,
                "<ds:DigestMethod/>"));
        SamlRejectedException error = assertThrows(SamlRejectedException.class, () -> validator.validate(
                SamlResponseValidator.parse(resource("assertion.xml").replace(digestMethod, "<ds:DigestMethod/>")
                        .getBytes(StandardCharsets.UTF_8)),
                genuineExpectations().build(), GENUINE_NOW));
        assertEquals(Rejection.SIGNATURE_INVALID, error.reason());
    }

    @Test
    void deeplyNestedXmlUnderTheSizeLimitIsRefusedByTheParser() {
        int depth = (SamlResponseValidator.MAX_BYTES - 8 * 1024) / "<a></a>".length();
        String nested = "<a>".repeat(depth) + "</a>".repeat(depth);
        String xml = response().xml().replace("</saml2p:Response>", "<saml2p:Extensions>" + nested
                + "</saml2p:Extensions></saml2p:Response>");
        assertTrue(xml.length() < SamlResponseValidator.MAX_BYTES, xml.length() + " bytes");
        rejected(Rejection.MALFORMED, xml);
        // nesting one element past the limit is enough
        rejected(Rejection.MALFORMED, response().xml().replace("</saml2p:Response>", "<saml2p:Extensions>"
                + "<a>".repeat(OpenSaml.MAX_DEPTH) + "</a>".repeat(OpenSaml.MAX_DEPTH)
                + "</saml2p:Extensions></saml2p:Response>"));
    }

    @Test
    void deepNestingInsideAnEncryptedAssertionIsRefusedToo() {
        String signed = response().xml();
        int depth = 10_000;
        String nested = signed.replace("</saml2:AuthnStatement>", "</saml2:AuthnStatement><saml2:AttributeStatement>"
                + "<saml2:Attribute Name=\"deep\"><saml2:AttributeValue>" + "<a>".repeat(depth) + "</a>".repeat(depth)
                + "</saml2:AttributeValue></saml2:Attribute></saml2:AttributeStatement>");
        rejected(Rejection.DECRYPTION_FAILED, SamlIdp.encryptAssertion(nested, SP_KEYS.certificate(), SamlIdp.RSA_OAEP,
                SamlIdp.AES256_GCM));
    }

    /**
     * Every element and every attribute of the genuine JumpCloud response removed in turn, and every attribute
     * emptied: each result is accepted or refused for a named reason, never an exception of another kind.
     */
    @Test
    void noMutilationOfAGenuineResponseEscapesUntyped() throws IOException {
        String genuine = resource("assertion.xml");
        Expect expect = genuineExpectations();
        Document original = SamlResponseValidator.parse(genuine.getBytes(StandardCharsets.UTF_8));
        int elements = original.getElementsByTagNameNS("*", "*").getLength();
        int tried = 0;
        for (int i = 0; i < elements; i++) {
            int index = i;
            tried += mutilate(genuine, expect, document -> {
                Node element = document.getElementsByTagNameNS("*", "*").item(index);
                if (element.getParentNode() instanceof Element) {
                    element.getParentNode().removeChild(element);
                }
            });
            int attributes = original.getElementsByTagNameNS("*", "*").item(i).getAttributes().getLength();
            for (int a = 0; a < attributes; a++) {
                int attribute = a;
                tried += mutilate(genuine, expect, document -> ((Element) document.getElementsByTagNameNS("*", "*")
                        .item(index)).removeAttributeNode((Attr) document.getElementsByTagNameNS("*", "*")
                                .item(index).getAttributes().item(attribute)));
                tried += mutilate(genuine, expect, document -> document.getElementsByTagNameNS("*", "*").item(index)
                        .getAttributes().item(attribute).setNodeValue(""));
            }
        }
        assertTrue(tried > 60, tried + " mutilations");
    }

    private int mutilate(String genuine, Expect expect, Consumer<Document> change) {
        String xml = edit(genuine, change);
        try {
            validator.validate(SamlResponseValidator.parse(xml.getBytes(StandardCharsets.UTF_8)), expect.build(),
                    GENUINE_NOW);
        } catch (SamlRejectedException refused) {
            // a named reason: what the ACS turns into a refusal page
        } catch (RuntimeException e) {
            throw new AssertionError("untyped " + e + " for\n" + xml, e);
        }
        return 1;
    }

    @Test
    void aCertificateRolloverAcceptsEitherConfiguredCertificate() {
        SamlIdp next = SamlIdp.create(IDP.entityId());
        Expect both = new Expect();
        both.certificates = List.of(IDP.certificate(), next.certificate());
        assertEquals("ada@acme.test", validate(next.response().to(ACS, SP).nameId("ada@acme.test", SamlIdp.NAMEID_EMAIL)
                .xml(), both).nameId());
    }

    @Test
    void sha1IsRefusedUnlessTheOrganizationAllowsIt() {
        String sha1 = response().signatureAlgorithm(SamlIdp.RSA_SHA1).xml();
        rejected(Rejection.SIGNATURE_ALGORITHM_NOT_ALLOWED, sha1);
        Expect allowing = new Expect();
        allowing.algorithms = Set.of(SignatureAlgorithms.RSA_SHA256, SignatureAlgorithms.RSA_SHA1);
        assertEquals("ada@acme.test", validate(sha1, allowing).nameId());
    }

    @Test
    void aStrippedSignatureLeavesTheAssertionUncovered() {
        rejected(Rejection.SIGNATURE_MISSING, edit(response().xml(), document -> {
            Node signature = document.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature").item(0);
            signature.getParentNode().removeChild(signature);
        }));
        rejected(Rejection.SIGNATURE_MISSING, response().signed(false, false).xml());
        Expect assertionRequired = new Expect();
        assertionRequired.policy = SignaturePolicy.ASSERTION;
        rejected(Rejection.SIGNATURE_MISSING, response().signed(false, true).xml(), assertionRequired);
    }

    @Test
    void aSignatureByAKeyCarriedInKeyInfoButNotConfiguredIsInvalid() {
        TestCertificates.Identity attacker = TestCertificates.selfSigned("JumpCloudSAMLUser");
        rejected(Rejection.SIGNATURE_INVALID, response().signedBy(attacker).xml());
        rejected(Rejection.SIGNATURE_INVALID, response().signed(false, true).signedBy(attacker).xml());
    }

    @Test
    void contentChangedAfterSigningIsInvalid() {
        rejected(Rejection.SIGNATURE_INVALID, response().xml().replace("ada@acme.test", "admin@acme.test"));
        rejected(Rejection.SIGNATURE_INVALID, response().signed(false, true).xml()
                .replace("ada@acme.test", "admin@acme.test"));
    }

    @Test
    void aCommentInsideTheNameIdDoesNotTruncateIt() {
        String signed = response().nameId("admin@acme.test.evil.test", SamlIdp.NAMEID_EMAIL).xml();
        String commented = signed.replace(">admin@acme.test.evil.test<", ">admin@acme.test<!---->.evil.test<");

        assertEquals("admin@acme.test.evil.test", validate(commented, new Expect()).nameId());
    }

    @Test
    void anUnsignedSecondAssertionInASignedResponseIsRefused() {
        rejected(Rejection.ASSERTION_COUNT, response().signed(true, true).withSecondAssertion("admin@acme.test").xml());
        rejected(Rejection.ASSERTION_COUNT,
                response().signed(false, true).withSecondAssertion("admin@acme.test").xml());
    }

    /** Signature wrapping, as SAML Raider names the variants: the signed element stays, a forged one is used. */
    @Test
    void xsw1TheSignedResponseMovedIntoTheSignatureOfAForgedResponse() {
        rejected(Rejection.DUPLICATE_ID, edit(response().signed(false, true).xml(), document -> {
            Element original = document.getDocumentElement();
            Element forged = (Element) original.cloneNode(true);
            forged.setAttribute("ID", "_evil");
            setNameId(forged, "admin@acme.test");
            Element signature = child(forged, "Signature");
            Element object = document.createElementNS("http://www.w3.org/2000/09/xmldsig#", "ds:Object");
            signature.appendChild(object);
            document.replaceChild(forged, original);
            object.appendChild(original);
        }));
    }

    @Test
    void xsw1WithTheWrappedCopyRenamedIsStillRefusedByTheProfileCheck() {
        rejected(Rejection.SIGNATURE_INVALID, edit(response().signed(false, true).xml(), document -> {
            Element original = document.getDocumentElement();
            Element forged = (Element) original.cloneNode(true);
            forged.setAttribute("ID", "_evil");
            setNameId(forged, "admin@acme.test");
            child(forged, "Assertion").setAttribute("ID", "_evil-assertion");
            Element signature = child(forged, "Signature");
            Element object = document.createElementNS("http://www.w3.org/2000/09/xmldsig#", "ds:Object");
            signature.appendChild(object);
            document.replaceChild(forged, original);
            object.appendChild(original);
        }));
    }

    @Test
    void xsw2TheSignedResponseDetachedBesideAForgedOne() {
        rejected(Rejection.SIGNATURE_INVALID, edit(response().signed(false, true).xml(), document -> {
            Element original = document.getDocumentElement();
            Element forged = (Element) original.cloneNode(true);
            forged.setAttribute("ID", "_evil");
            child(forged, "Assertion").setAttribute("ID", "_evil-assertion");
            setNameId(forged, "admin@acme.test");
            document.replaceChild(forged, original);
            Element signed = (Element) original.cloneNode(true);
            signed.removeChild(child(signed, "Assertion"));
            forged.insertBefore(signed, child(forged, "Signature"));
        }));
    }

    @Test
    void xsw3AForgedAssertionBeforeTheSignedOne() {
        rejected(Rejection.ASSERTION_COUNT, edit(response().xml(), document -> {
            Element original = child(document.getDocumentElement(), "Assertion");
            Element forged = (Element) original.cloneNode(true);
            forged.setAttribute("ID", "_evil");
            forged.removeChild(child(forged, "Signature"));
            setNameId(forged, "admin@acme.test");
            document.getDocumentElement().insertBefore(forged, original);
        }));
    }

    @Test
    void xsw4TheSignedAssertionWrappedInsideAForgedOne() {
        rejected(Rejection.SIGNATURE_MISSING, edit(response().xml(), document -> {
            Element original = child(document.getDocumentElement(), "Assertion");
            Element forged = (Element) original.cloneNode(true);
            forged.setAttribute("ID", "_evil");
            forged.removeChild(child(forged, "Signature"));
            setNameId(forged, "admin@acme.test");
            document.getDocumentElement().replaceChild(forged, original);
            forged.appendChild(original);
        }));
    }

    @Test
    void xsw5AForgedAssertionCarryingTheOriginalSignatureWithTheSignedOneAppended() {
        rejected(Rejection.ASSERTION_COUNT, edit(response().xml(), document -> {
            Element original = child(document.getDocumentElement(), "Assertion");
            Element forged = (Element) original.cloneNode(true);
            forged.setAttribute("ID", "_evil");
            setNameId(forged, "admin@acme.test");
            document.getDocumentElement().replaceChild(forged, original);
            original.removeChild(child(original, "Signature"));
            document.getDocumentElement().appendChild(original);
        }));
    }

    @Test
    void xsw6TheSignedAssertionInsideTheForgedAssertionsSignature() {
        rejected(Rejection.DUPLICATE_ID, edit(response().xml(), document -> {
            Element original = child(document.getDocumentElement(), "Assertion");
            Element forged = (Element) original.cloneNode(true);
            setNameId(forged, "admin@acme.test");
            document.getDocumentElement().replaceChild(forged, original);
            Element object = document.createElementNS("http://www.w3.org/2000/09/xmldsig#", "ds:Object");
            child(forged, "Signature").appendChild(object);
            object.appendChild(original);
        }));
    }

    @Test
    void xsw7TheSignedAssertionHiddenInExtensions() {
        rejected(Rejection.SIGNATURE_MISSING, edit(response().xml(), document -> {
            Element root = document.getDocumentElement();
            Element original = child(root, "Assertion");
            Element forged = (Element) original.cloneNode(true);
            forged.setAttribute("ID", "_evil");
            forged.removeChild(child(forged, "Signature"));
            setNameId(forged, "admin@acme.test");
            Element extensions = document.createElementNS("urn:oasis:names:tc:SAML:2.0:protocol", "saml2p:Extensions");
            root.insertBefore(extensions, child(root, "Status"));
            root.replaceChild(forged, original);
            extensions.appendChild(original);
        }));
    }

    @Test
    void xsw8TheSignedAssertionInAnObjectOfTheForgedAssertionsSignatureWithoutItsId() {
        rejected(Rejection.SIGNATURE_INVALID, edit(response().xml(), document -> {
            Element original = child(document.getDocumentElement(), "Assertion");
            Element forged = (Element) original.cloneNode(true);
            setNameId(forged, "admin@acme.test");
            document.getDocumentElement().replaceChild(forged, original);
            Element object = document.createElementNS("http://www.w3.org/2000/09/xmldsig#", "ds:Object");
            child(forged, "Signature").appendChild(object);
            original.removeChild(child(original, "Signature"));
            original.removeAttribute("ID");
            object.appendChild(original);
        }));
    }

    @Test
    void conditionsAndConfirmationAreEnforced() {
        rejected(Rejection.WRONG_AUDIENCE, response().audience("https://another-sp.test").xml());
        rejected(Rejection.WRONG_DESTINATION, response().destination("https://another-sp.test/acs").xml());
        rejected(Rejection.BEARER_CONFIRMATION_INVALID, response().recipient("https://another-sp.test/acs").xml());
        rejected(Rejection.WRONG_ISSUER, response().issuer("https://evil-idp.test").xml());
        rejected(Rejection.EXPIRED, response().validity(SamlIdp.ago(Duration.ofMinutes(20)),
                SamlIdp.ago(Duration.ofMinutes(10))).xml());
        rejected(Rejection.NOT_YET_VALID, response().validity(Instant.now().plus(Duration.ofMinutes(10)),
                Instant.now().plus(Duration.ofMinutes(20))).xml());
        rejected(Rejection.STATUS_NOT_SUCCESS, response().status("urn:oasis:names:tc:SAML:2.0:status:Requester").xml());
    }

    @Test
    void theClockSkewIsAllowedEitherSide() {
        assertEquals("ada@acme.test", validate(response().validity(Instant.now().plus(Duration.ofMinutes(2)),
                Instant.now().plus(Duration.ofMinutes(10))).xml(), new Expect()).nameId());
        assertEquals("ada@acme.test", validate(response().validity(SamlIdp.ago(Duration.ofMinutes(10)),
                SamlIdp.ago(Duration.ofMinutes(2))).xml(), new Expect()).nameId());
    }

    @Test
    void encryptedAssertionsNeedThisOrganizationsSpKey() {
        TestCertificates.Identity otherSp = TestCertificates.selfSigned("another-sp");
        rejected(Rejection.DECRYPTION_FAILED, response().encryptedFor(otherSp.certificate(), SamlIdp.RSA_OAEP,
                SamlIdp.AES256_CBC).xml());
        Expect noKeys = new Expect();
        noKeys.decryptionKeys = List.of();
        rejected(Rejection.DECRYPTION_FAILED, response().encryptedFor(SP_KEYS.certificate(), SamlIdp.RSA_OAEP,
                SamlIdp.AES256_CBC).xml(), noKeys);
    }

    @Test
    void dtdsExternalEntitiesAndEntityExpansionAreRefusedBeforeAnythingIsRead() {
        String response = response().xml().replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "");
        rejected(Rejection.DTD_FORBIDDEN,
                "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + response.replace("ada@acme.test<", "&x;<"));
        rejected(Rejection.DTD_FORBIDDEN, "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;\">]>" + response.replace("ada@acme.test<", "&lol3;<"));
        rejected(Rejection.DTD_FORBIDDEN, "<!DOCTYPE r SYSTEM \"http://attacker.test/evil.dtd\">" + response);
        rejected(Rejection.MALFORMED, "<saml2p:Response xmlns:saml2p=\"urn:oasis:names:tc:SAML:2.0:protocol\">");
        rejected(Rejection.MALFORMED, "<html><body>not saml</body></html>");
    }

    @Test
    void anOversizeResponseIsRefusedUnparsed() {
        String padded = response().xml().replace("</saml2p:Response>",
                "<!--" + "x".repeat(SamlResponseValidator.MAX_BYTES) + "--></saml2p:Response>");
        rejected(Rejection.TOO_LARGE, padded);
    }

    static final Instant GENUINE_NOW = Instant.parse("2023-11-18T16:43:05.562Z");

    /** What the genuine JumpCloud response was issued for (params.json, metadata.xml). */
    static Expect genuineExpectations() throws IOException {
        IdpMetadata.Descriptor metadata = IdpMetadata.parse(resource("metadata.xml"));
        Expect expect = new Expect();
        expect.idpEntityId = metadata.entityId();
        expect.certificates = metadata.signingCertificates();
        expect.spEntityId = "ssoready-entity-id";
        expect.acsUrl = "http://localhost";
        return expect;
    }

    /** Adds (or replaces) InResponseTo on the unsigned Response wrapper. */
    static String claimInResponseTo(String xml, String requestId) {
        return xml.replaceFirst("<saml2p:Response ", "<saml2p:Response InResponseTo=\"" + requestId + "\" ");
    }

    static void setNameId(Element scope, String value) {
        scope.getElementsByTagNameNS(SAML, "NameID").item(0).setTextContent(value);
    }

    static Element child(Element parent, String localName) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && localName.equals(element.getLocalName())) {
                return element;
            }
        }
        throw new IllegalStateException("no " + localName + " under " + parent.getLocalName());
    }

    /** Rewrites a signed response through the DOM, as an attacker would, without re-signing it. */
    static String edit(String xml, Consumer<Document> change) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(
                    xml.getBytes(StandardCharsets.UTF_8)));
            change.accept(document);
            StringWriter out = new StringWriter();
            TransformerFactory.newInstance().newTransformer().transform(new DOMSource(document), new StreamResult(out));
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String resource(String name) throws IOException {
        try (InputStream in = SamlResponseValidatorTest.class.getResourceAsStream("/jumpcloud/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
