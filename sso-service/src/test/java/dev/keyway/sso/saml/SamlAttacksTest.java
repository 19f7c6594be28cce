package dev.keyway.sso.saml;

import static dev.keyway.sso.saml.SamlResponseValidatorTest.ACS;
import static dev.keyway.sso.saml.SamlResponseValidatorTest.GENUINE_NOW;
import static dev.keyway.sso.saml.SamlResponseValidatorTest.IDP;
import static dev.keyway.sso.saml.SamlResponseValidatorTest.SAML;
import static dev.keyway.sso.saml.SamlResponseValidatorTest.SP;
import static dev.keyway.sso.saml.SamlResponseValidatorTest.SP_KEYS;
import static dev.keyway.sso.saml.SamlResponseValidatorTest.child;
import static dev.keyway.sso.saml.SamlResponseValidatorTest.edit;
import static dev.keyway.sso.saml.SamlResponseValidatorTest.genuineExpectations;
import static dev.keyway.sso.saml.SamlResponseValidatorTest.resource;
import static dev.keyway.sso.saml.SamlResponseValidatorTest.setNameId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.xml.security.c14n.Canonicalizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.deployment.Deployment;
import dev.keyway.sso.connection.SpEndpoints;
import dev.keyway.sso.saml.SamlResponseValidator.Validated;
import dev.keyway.sso.saml.SamlResponseValidatorTest.Expect;
import dev.keyway.testsupport.SamlIdp;

/**
 * The attack families of 2024–2026 against SAML service providers in Java and elsewhere, each replayed against the
 * validator with a fixture built from a genuine signed response: the JumpCloud response of {@code
 * /jumpcloud/assertion.xml}, or one xmlsec1 signed as {@link SamlIdp}. Each is refused for its own reason, or, where
 * the trick only changes how the document looks, shown to leave the signed values the ones read.
 */
class SamlAttacksTest {

    static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";
    static final String PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";

    private final SamlResponseValidator validator = new SamlResponseValidator();

    @BeforeAll
    static void openSaml() {
        OpenSaml.initialize();
    }

    private Validated validate(String xml, Expect expect, Instant now) {
        return validator.validate(SamlResponseValidator.parse(xml.getBytes(StandardCharsets.UTF_8)), expect.build(),
                now);
    }

    private Validated validate(String xml) {
        return validate(xml, new Expect(), Instant.now());
    }

    private void rejected(Rejection reason, String xml, Expect expect, Instant now) {
        SamlRejectedException error = assertThrows(SamlRejectedException.class, () -> validate(xml, expect, now));
        assertEquals(reason, error.reason(), error.getMessage());
    }

    private void rejected(Rejection reason, String xml) {
        rejected(reason, xml, new Expect(), Instant.now());
    }

    private void genuineRejected(Rejection reason, String xml) throws IOException {
        rejected(reason, xml, genuineExpectations(), GENUINE_NOW);
    }

    private static SamlIdp.Response response(String nameId) {
        return IDP.response().to(ACS, SP).nameId(nameId, SamlIdp.NAMEID_EMAIL);
    }

    // ---- parser differentials (ruby-saml CVE-2025-25291, CVE-2025-25292, CVE-2025-66567, CVE-2025-66568): one
    // parser reads what another verified. Here one parse serves both, so a trick that changes the text only changes
    // it for the signature as well.

    @Test
    void anEmptyCdataSectionSplittingTheNameIdDoesNotTruncateIt() {
        String signed = response("admin@acme.test.evil.test").xml();
        String split = signed.replace(">admin@acme.test.evil.test<", ">admin@acme.test<![CDATA[]]>.evil.test<");

        assertEquals("admin@acme.test.evil.test", validate(split).nameId());
    }

    @Test
    void characterReferencesAreReadAsTheSignatureSawThem() throws IOException {
        String genuine = resource("assertion.xml");
        String encoded = genuine.replace(">ulysse.carion@codomaindata.com<",
                ">&#117;lysse.carion&#64;codomaindata.com<");

        assertEquals("ulysse.carion@codomaindata.com", validate(encoded, genuineExpectations(), GENUINE_NOW).nameId());
        genuineRejected(Rejection.SIGNATURE_INVALID, genuine.replace(">ulysse.carion@codomaindata.com<",
                ">&#97;dmin@codomaindata.com<"));
    }

    @Test
    void aForgedAssertionWhosePrefixIsBoundToAnotherNamespaceIsNotRead() {
        // a prefix-matching reader ("saml2:Assertion") would see two assertions and might read the first
        String signed = response("ada@acme.test").xml();
        String forged = signed.replaceFirst("(<saml2:Assertion )",
                "<saml2:Assertion xmlns:saml2=\"urn:example:not-saml\" ID=\"_evil\"><saml2:Subject><saml2:NameID>"
                        + "admin@acme.test</saml2:NameID></saml2:Subject></saml2:Assertion>$1");

        assertEquals("ada@acme.test", validate(forged).nameId());
        // the same forgery in SAML's namespace is a second assertion
        rejected(Rejection.ASSERTION_COUNT, forged.replace("urn:example:not-saml", SAML));
    }

    @Test
    void aDoctypeIsRefusedWhereverItHides() throws IOException {
        String genuine = resource("assertion.xml").replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "");
        // an internal subset that declares an ID attribute: what made REXML and Nokogiri resolve IDs differently
        genuineRejected(Rejection.DTD_FORBIDDEN,
                "<?xml version=\"1.0\"?><!-- a comment first --><!DOCTYPE saml2p:Response "
                        + "[<!ATTLIST saml2:Assertion ID ID #IMPLIED>]>" + genuine);
        genuineRejected(Rejection.DTD_FORBIDDEN, "<!DOCTYPE x [<!ENTITY n \"ulysse.carion@codomaindata.com\">]>"
                + genuine.replace(">ulysse.carion@codomaindata.com<", ">&n;<"));
    }

    @Test
    void anotherEncodingIsReadAsSignedOrRefused() throws IOException {
        String genuine = resource("assertion.xml");
        byte[] utf16 = genuine.replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"").getBytes(StandardCharsets.UTF_16);
        assertEquals("ulysse.carion@codomaindata.com", validator.validate(SamlResponseValidator.parse(utf16),
                genuineExpectations().build(), GENUINE_NOW).nameId());

        // declared Latin-1, sent as UTF-8: the bytes are read one way, and verified the same way
        String signed = response("jörg@acme.test").xml();
        byte[] mislabelled = signed.replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"")
                .getBytes(StandardCharsets.UTF_8);
        SamlRejectedException error = assertThrows(SamlRejectedException.class, () -> validator.validate(
                SamlResponseValidator.parse(mislabelled), new Expect().build(), Instant.now()));
        assertEquals(Rejection.SIGNATURE_INVALID, error.reason());
        assertEquals("jörg@acme.test", validate(signed).nameId());
    }

    // ---- digest values read from the wrong place (xml-crypto CVE-2025-29775, CVE-2025-29774; ruby-saml
    // CVE-2024-45409): a comment in DigestValue, a second SignedInfo, a DigestValue elsewhere in the document.

    @Test
    void aForgedDigestHiddenInACommentInsideDigestValueIsNotUsed() throws IOException {
        String genuine = resource("assertion.xml");
        String original = digestValue(genuine);
        assertEquals(original, digestOfAssertion(genuine), "the digest helper reproduces JumpCloud's digest");

        String forged = genuine.replace(">ulysse.carion@codomaindata.com<", ">admin@codomaindata.com<");
        String forgedDigest = digestOfAssertion(forged);
        genuineRejected(Rejection.SIGNATURE_INVALID, forged.replace("<ds:DigestValue>" + original,
                "<ds:DigestValue><!--" + forgedDigest + "-->" + original));
        genuineRejected(Rejection.SIGNATURE_INVALID, forged.replace("<ds:DigestValue>" + original + "</ds:DigestValue>",
                "<ds:DigestValue>" + original + "<!---->" + "</ds:DigestValue>"));
    }

    @Test
    void aSecondSignedInfoCarryingTheForgedDigestIsNotUsed() throws IOException {
        String genuine = resource("assertion.xml");
        String forged = genuine.replace(">ulysse.carion@codomaindata.com<", ">admin@codomaindata.com<");
        String signedInfo = forged.substring(forged.indexOf("<ds:SignedInfo>"), forged.indexOf("</ds:SignedInfo>")
                + "</ds:SignedInfo>".length());
        String second = signedInfo.replace(digestValue(genuine), digestOfAssertion(forged));

        genuineRejected(Rejection.MALFORMED, forged.replace(signedInfo, signedInfo + second));
        genuineRejected(Rejection.MALFORMED, forged.replace(signedInfo, second + signedInfo));
    }

    @Test
    void aDigestValueElsewhereInTheDocumentIsNotUsed() throws IOException {
        String genuine = resource("assertion.xml");
        String forged = genuine.replace(">ulysse.carion@codomaindata.com<", ">admin@codomaindata.com<");
        String planted = forged.replace("<saml2p:Status>", "<saml2p:Extensions><ds:Reference xmlns:ds=\"" + DSIG
                + "\" URI=\"#UQCW5ZYPIJUA5HQCFIIJQFKUTA7B4QPKZU5T1ZEE\"><ds:DigestValue>" + digestOfAssertion(forged)
                + "</ds:DigestValue></ds:Reference></saml2p:Extensions><saml2p:Status>");

        genuineRejected(Rejection.SIGNATURE_INVALID, planted);
    }

    // ---- ID-attribute pollution: ID-like attributes in other namespaces or spellings, so that a resolver that
    // accepts them finds the signed original while the SAML reader uses the forgery.

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "Id", "id", "xml:id", "wsu:Id", "saml2:ID" })
    void anIdLikeAttributeNamingTheSignedAssertionIsADuplicateId(String attribute) throws IOException {
        String genuine = resource("assertion.xml");
        String signedId = "UQCW5ZYPIJUA5HQCFIIJQFKUTA7B4QPKZU5T1ZEE";
        genuineRejected(Rejection.DUPLICATE_ID, edit(genuine, document -> {
            Element original = child(document.getDocumentElement(), "Assertion");
            Element forged = (Element) original.cloneNode(true);
            forged.setAttribute("ID", "_evil");
            setNameId(forged, "admin@codomaindata.com");
            setIdLike(forged, attribute, signedId);
            document.getDocumentElement().replaceChild(forged, original);
            Element extensions = document.createElementNS(PROTOCOL, "saml2p:Extensions");
            document.getDocumentElement().insertBefore(extensions, child(document.getDocumentElement(), "Status"));
            extensions.appendChild(original);
        }));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "Id", "xml:id", "wsu:Id" })
    void anIdLikeAttributeCannotRedirectTheReferenceOfAForgery(String attribute) throws IOException {
        // the signed original gone: the forgery keeps its signature and names the original's ID in another attribute
        genuineRejected(Rejection.SIGNATURE_INVALID, edit(resource("assertion.xml"), document -> {
            Element assertion = child(document.getDocumentElement(), "Assertion");
            setIdLike(assertion, attribute, assertion.getAttribute("ID"));
            assertion.setAttribute("ID", "_evil");
            setNameId(assertion, "admin@codomaindata.com");
        }));
    }

    private static void setIdLike(Element element, String attribute, String value) {
        Map<String, String> namespaces = Map.of("xml", "http://www.w3.org/XML/1998/namespace", "wsu",
                "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd", "saml2", SAML);
        int colon = attribute.indexOf(':');
        element.setAttributeNS(colon < 0 ? null : namespaces.get(attribute.substring(0, colon)), attribute, value);
    }

    // ---- same-ID twins: two elements with the ID the reference names.

    @Test
    void aResponseSharingItsAssertionsIdIsRefused() throws IOException {
        genuineRejected(Rejection.DUPLICATE_ID, edit(resource("assertion.xml"), document -> document
                .getDocumentElement().setAttribute("ID", "UQCW5ZYPIJUA5HQCFIIJQFKUTA7B4QPKZU5T1ZEE")));
    }

    @Test
    void aForgedTwinCarryingTheSignedOriginalInItsAdviceIsRefused() throws IOException {
        genuineRejected(Rejection.DUPLICATE_ID, edit(resource("assertion.xml"), document -> twinInAdvice(document,
                "admin@codomaindata.com")));
    }

    @Test
    void twinsInsideAnEncryptedAssertionAreRefusedToo() {
        // an attacker can encrypt to the SP's public certificate; the decrypted document is checked like the outer one
        String twins = edit(response("ada@acme.test").xml(), document -> twinInAdvice(document, "admin@acme.test"));
        rejected(Rejection.DUPLICATE_ID, SamlIdp.encryptAssertion(twins, SP_KEYS.certificate(), SamlIdp.RSA_OAEP,
                SamlIdp.AES256_GCM));
    }

    /** The signed assertion moved into the Advice of a forged twin that has its ID and its signature. */
    private static void twinInAdvice(Document document, String nameId) {
        Element original = child(document.getDocumentElement(), "Assertion");
        Element forged = (Element) original.cloneNode(true);
        setNameId(forged, nameId);
        document.getDocumentElement().replaceChild(forged, original);
        Element advice = document.createElementNS(SAML, "saml2:Advice");
        forged.insertBefore(advice, child(forged, "AuthnStatement"));
        original.removeChild(child(original, "Signature"));
        advice.appendChild(original);
    }

    // ---- signature position vs reference (Keycloak CVE-2024-8698: coverage judged by where a signature sits, not
    // by what its Reference names).

    @Test
    void theAssertionsSignatureMovedUpToTheResponseDoesNotSignTheResponse() throws IOException {
        // cryptographically valid still (the enveloped transform drops it either way), but it names a child
        genuineRejected(Rejection.SIGNATURE_INVALID, edit(resource("assertion.xml"), document -> {
            Element root = document.getDocumentElement();
            Element assertion = child(root, "Assertion");
            setNameId(assertion, "admin@codomaindata.com");
            Element signature = child(assertion, "Signature");
            root.insertBefore(signature, child(root, "Status"));
        }));
    }

    @Test
    void theAssertionsSignatureBesideItCoversNothing() throws IOException {
        genuineRejected(Rejection.SIGNATURE_MISSING, edit(resource("assertion.xml"), document -> {
            Element root = document.getDocumentElement();
            Element assertion = child(root, "Assertion");
            setNameId(assertion, "admin@codomaindata.com");
            Element extensions = document.createElementNS(PROTOCOL, "saml2p:Extensions");
            root.insertBefore(extensions, child(root, "Status"));
            extensions.appendChild(child(assertion, "Signature"));
        }));
    }

    @Test
    void aSignatureInsideTheAssertionThatReferencesTheResponseIsNotTheAssertions() {
        String unsigned = response("ada@acme.test").signed(false, false).xml();
        Matcher id = Pattern.compile("<saml2p:Response [^>]*\\bID=\"([^\"]+)\"").matcher(unsigned);
        id.find();
        String template = unsigned.replaceFirst("(<saml2:Assertion [^>]*>\\s*<saml2:Issuer [^>]*>[^<]*</saml2:Issuer>)",
                "$1" + Matcher.quoteReplacement(SamlIdp.signatureTemplate(id.group(1), SamlIdp.RSA_SHA256)));
        String signedResponseFromInside = IDP.sign(template,
                "//*[local-name()='Assertion']/*[local-name()='Signature']");

        rejected(Rejection.SIGNATURE_INVALID, signedResponseFromInside);
    }

    // ---- signed metadata as a signature donor: the IdP's metadata carries a valid IdP signature anyone can copy.

    @Test
    void signedMetadataInTheResponseCoversNoAssertion() {
        String donor = IDP.signedMetadata("https://sso.jumpcloud.com/saml2/keyway-acme", "_metadata");
        String forged = edit(response("admin@acme.test").signed(false, false).xml(), document -> {
            Element extensions = document.createElementNS(PROTOCOL, "saml2p:Extensions");
            document.getDocumentElement().insertBefore(extensions, child(document.getDocumentElement(), "Status"));
            extensions.appendChild(document.importNode(parse(donor).getDocumentElement(), true));
        });
        rejected(Rejection.SIGNATURE_MISSING, forged);
    }

    @Test
    void theMetadatasSignatureTransplantedIntoAForgedAssertionIsRefused() {
        Document donor = parse(IDP.signedMetadata("https://sso.jumpcloud.com/saml2/keyway-acme", "_metadata"));
        Element donorSignature = child(donor.getDocumentElement(), "Signature");
        String unsigned = response("admin@acme.test").signed(false, false).xml();

        // the signature as it is: its reference names the metadata, not the assertion it now sits in
        rejected(Rejection.SIGNATURE_INVALID, edit(unsigned, document -> {
            Element assertion = child(document.getDocumentElement(), "Assertion");
            assertion.insertBefore(document.importNode(donorSignature, true), child(assertion, "Subject"));
        }));
        // the assertion given the metadata's ID, the signed metadata kept beside it for the reference to find
        rejected(Rejection.DUPLICATE_ID, edit(unsigned, document -> {
            Element root = document.getDocumentElement();
            Element assertion = child(root, "Assertion");
            assertion.setAttribute("ID", "_metadata");
            assertion.insertBefore(document.importNode(donorSignature, true), child(assertion, "Subject"));
            Element extensions = document.createElementNS(PROTOCOL, "saml2p:Extensions");
            root.insertBefore(extensions, child(root, "Status"));
            Element metadata = (Element) document.importNode(donor.getDocumentElement(), true);
            metadata.removeChild(child(metadata, "Signature"));
            extensions.appendChild(metadata);
        }));
        // the assertion given the metadata's ID, alone: the digest is the metadata's, not the assertion's
        rejected(Rejection.SIGNATURE_INVALID, edit(unsigned, document -> {
            Element assertion = child(document.getDocumentElement(), "Assertion");
            assertion.setAttribute("ID", "_metadata");
            assertion.insertBefore(document.importNode(donorSignature, true), child(assertion, "Subject"));
        }));
    }

    // ---- replay across regions: each region's SP entity id and ACS URL are its own, so a response for an
    // organization in one region is refused by every other region's endpoints.

    @Test
    void aResponseForOneRegionIsRefusedByAnother() {
        SpEndpoints api = endpoints(Region.API);
        SpEndpoints eu = endpoints(Region.EU);
        String forApi = IDP.response().to(api.acs("acme"), api.entityId("acme")).nameId("ada@acme.test",
                SamlIdp.NAMEID_EMAIL).xml();
        Expect atApi = new Expect();
        atApi.acsUrl = api.acs("acme");
        atApi.spEntityId = api.entityId("acme");
        Expect atEu = new Expect();
        atEu.acsUrl = eu.acs("acme");
        atEu.spEntityId = eu.entityId("acme");

        assertEquals("ada@acme.test", validate(forApi, atApi, Instant.now()).nameId());
        rejected(Rejection.WRONG_DESTINATION, forApi, atEu, Instant.now());
        // the unsigned Destination readdressed: the signed audience still names the other region
        rejected(Rejection.WRONG_AUDIENCE, forApi.replace("Destination=\"" + api.acs("acme") + "\"",
                "Destination=\"" + eu.acs("acme") + "\""), atEu, Instant.now());
    }

    private static SpEndpoints endpoints(Region region) {
        return new SpEndpoints(new Deployment() {

            @Override
            public Region region() {
                return region;
            }

            @Override
            public Map<String, String> urls() {
                return Map.of("api", "https://api.keyway.example", "eu", "https://eu.keyway.example");
            }
        });
    }

    // ---- helpers

    private static String digestValue(String xml) {
        Matcher matcher = Pattern.compile("<ds:DigestValue>([^<]+)</ds:DigestValue>").matcher(xml);
        matcher.find();
        return matcher.group(1);
    }

    /** What a verifier computes for the first Assertion: enveloped-signature, then exclusive c14n, then SHA-256. */
    private static String digestOfAssertion(String xml) {
        try {
            Document document = parse(xml);
            Element assertion = child(document.getDocumentElement(), "Assertion");
            assertion.removeChild(child(assertion, "Signature"));
            ByteArrayOutputStream canonical = new ByteArrayOutputStream();
            Canonicalizer.getInstance(Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS).canonicalizeSubtree(assertion,
                    canonical);
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(canonical.toByteArray()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
