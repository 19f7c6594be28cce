package dev.keyway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A JumpCloud-shaped identity provider for tests. Responses follow the structure of a genuine JumpCloud response
 * (issuer format, signature placement, bearer confirmation, conditions, authn statement); signing and encryption are
 * done by Debian's {@code xmlsec1}, an XML security implementation independent of ours, so a test shows that what
 * another implementation produces is accepted, not that our code agrees with itself.
 */
public final class SamlIdp {

    public static final String NAMEID_EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    public static final String NAMEID_PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
    public static final String NAMEID_UNSPECIFIED = "urn:oasis:names:tc:SAML:1.0:nameid-format:unspecified";

    public static final String RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public static final String RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";

    public static final String RSA_OAEP = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
    public static final String RSA_1_5 = "http://www.w3.org/2001/04/xmlenc#rsa-1_5";
    public static final String AES256_CBC = "http://www.w3.org/2001/04/xmlenc#aes256-cbc";
    public static final String AES128_GCM = "http://www.w3.org/2009/xmlenc11#aes128-gcm";
    public static final String AES256_GCM = "http://www.w3.org/2009/xmlenc11#aes256-gcm";

    private final String entityId;
    private final TestCertificates.Identity identity;

    private SamlIdp(String entityId, TestCertificates.Identity identity) {
        this.entityId = entityId;
        this.identity = identity;
    }

    public static SamlIdp create(String entityId) {
        return new SamlIdp(entityId, TestCertificates.selfSigned("JumpCloudSAMLUser"));
    }

    public String entityId() {
        return entityId;
    }

    public TestCertificates.Identity identity() {
        return identity;
    }

    public X509Certificate certificate() {
        return identity.certificate();
    }

    /** Metadata as JumpCloud exports it (Export Metadata), with the Redirect binding when it is declared. */
    public String metadata(String ssoUrl, boolean declareRedirectEndpoint) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="%s">
                    <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                        <md:KeyDescriptor use="signing">
                            <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
                                <ds:X509Data>
                                    <ds:X509Certificate>%s</ds:X509Certificate>
                                </ds:X509Data>
                            </ds:KeyInfo>
                        </md:KeyDescriptor>
                        <md:NameIDFormat>urn:oasis:names:tc:SAML:1.0:nameid-format:unspecified</md:NameIDFormat>
                        %s<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="%s"/>
                    </md:IDPSSODescriptor>
                </md:EntityDescriptor>
                """.formatted(entityId, identity.certificateBase64(), declareRedirectEndpoint
                ? "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\""
                        + ssoUrl + "\"/>\n                    "
                : "", ssoUrl);
    }

    /**
     * The metadata with an ID, signed by this IdP's key (enveloped, as IdPs that sign their metadata do). A public
     * document carrying a valid IdP signature: what an attacker would try as a signature donor.
     */
    public String signedMetadata(String ssoUrl, String id) {
        String metadata = metadata(ssoUrl, false).strip();
        String open = "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"" + entityId
                + "\">";
        String template = metadata.replace(open,
                "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" ID=\""
                        + id + "\" entityID=\"" + entityId + "\">" + signatureTemplate(id, RSA_SHA256));
        return Xmlsec1.sign(template, "/*[local-name()='EntityDescriptor']/*[local-name()='Signature']", identity);
    }

    /** Encrypts the (only) Assertion of a response for an SP, as {@link Response#encryptedFor} does: for edited XML. */
    public static String encryptAssertion(String xml, X509Certificate spCertificate, String keyTransport,
            String dataEncryption) {
        int start = xml.indexOf("<saml2:Assertion ");
        int end = start;
        // the closing tag that matches the first Assertion (an Advice may nest others)
        for (int depth = 0, at = start;;) {
            int open = xml.indexOf("<saml2:Assertion ", at);
            int close = xml.indexOf("</saml2:Assertion>", at);
            if (open >= 0 && open < close) {
                depth++;
                at = open + 1;
            } else if (--depth == 0) {
                end = close + "</saml2:Assertion>".length();
                break;
            } else {
                at = close + 1;
            }
        }
        String wrapped = xml.substring(0, start)
                + "<saml2:EncryptedAssertion xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\">"
                + xml.substring(start, end) + "</saml2:EncryptedAssertion>" + xml.substring(end);
        return Xmlsec1.encrypt(wrapped, "//*[local-name()='EncryptedAssertion']/*[local-name()='Assertion']",
                spCertificate,
                keyTransport, dataEncryption);
    }

    /** An enveloped-signature template for the element of that ID, for xmlsec1 to fill in. */
    public static String signatureTemplate(String id, String signatureAlgorithm) {
        String digest = signatureAlgorithm.equals(RSA_SHA1) ? "http://www.w3.org/2000/09/xmldsig#sha1"
                : "http://www.w3.org/2001/04/xmlenc#sha256";
        return "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
                + "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
                + "<ds:SignatureMethod Algorithm=\"" + signatureAlgorithm + "\"/><ds:Reference URI=\"#" + id + "\">"
                + "<ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
                + "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms>"
                + "<ds:DigestMethod Algorithm=\"" + digest + "\"/><ds:DigestValue/></ds:Reference></ds:SignedInfo>"
                + "<ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>";
    }

    /**
     * Signs whatever signature template the XPath selects with this IdP's key, IDs of Response, Assertion and
     * EntityDescriptor resolvable: for tests that place a template where no IdP would.
     */
    public String sign(String xml, String signatureXpath) {
        return Xmlsec1.sign(xml, signatureXpath, identity);
    }

    public Response response() {
        return new Response();
    }

    /** A response under construction; by default valid for five minutes, assertion signed, not encrypted. */
    public final class Response {

        private String destination;
        private String recipient;
        private String audience;
        private String inResponseTo;
        private String nameId = "user@example.test";
        private String nameIdFormat = NAMEID_EMAIL;
        private String issuer = entityId;
        private String status = "urn:oasis:names:tc:SAML:2.0:status:Success";
        private String assertionId = "A" + UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
        private Instant issued = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        private Instant notBefore = issued.minus(5, ChronoUnit.MINUTES);
        private Instant notOnOrAfter = issued.plus(5, ChronoUnit.MINUTES);
        private final Map<String, List<String>> attributes = new LinkedHashMap<>();
        private boolean signAssertion = true;
        private boolean signResponse;
        private String signatureAlgorithm = RSA_SHA256;
        private TestCertificates.Identity signer = identity;
        private X509Certificate encryptFor;
        private String keyTransport = RSA_OAEP;
        private String dataEncryption = AES256_CBC;
        private String secondAssertionNameId;
        private Instant conditionsNotOnOrAfter;
        private boolean conditionsUntilSet;
        private Instant confirmationNotOnOrAfter;
        private String assertionVersion = "2.0";
        private String extraCondition = "";
        private boolean authnStatement = true;

        /** Destination, Recipient: the ACS URL; audience: the SP entity id. */
        public Response to(String acsUrl, String spEntityId) {
            destination = acsUrl;
            recipient = acsUrl;
            audience = spEntityId;
            return this;
        }

        public Response destination(String value) {
            destination = value;
            return this;
        }

        public Response recipient(String value) {
            recipient = value;
            return this;
        }

        public Response audience(String value) {
            audience = value;
            return this;
        }

        public Response inResponseTo(String requestId) {
            inResponseTo = requestId;
            return this;
        }

        public Response nameId(String value, String format) {
            nameId = value;
            nameIdFormat = format;
            return this;
        }

        public Response issuer(String value) {
            issuer = value;
            return this;
        }

        public Response status(String value) {
            status = value;
            return this;
        }

        public Response assertionId(String value) {
            assertionId = value;
            return this;
        }

        public String assertionId() {
            return assertionId;
        }

        public Response validity(Instant from, Instant until) {
            notBefore = from;
            notOnOrAfter = until;
            return this;
        }

        /** Conditions/NotOnOrAfter apart from the bearer confirmation's (null: Conditions carry none). */
        public Response conditionsValidUntil(Instant until) {
            conditionsNotOnOrAfter = until;
            conditionsUntilSet = true;
            return this;
        }

        /** SubjectConfirmationData/NotOnOrAfter apart from the Conditions'. */
        public Response confirmationValidUntil(Instant until) {
            confirmationNotOnOrAfter = until;
            return this;
        }

        /** The Assertion's Version attribute (signed with it). */
        public Response assertionVersion(String version) {
            assertionVersion = version;
            return this;
        }

        /** Another element inside Conditions, after the AudienceRestriction (signed with it). */
        public Response extraCondition(String xml) {
            extraCondition = xml;
            return this;
        }

        /** Leaves the AuthnStatement out. */
        public Response withoutAuthnStatement() {
            authnStatement = false;
            return this;
        }

        public Response attribute(String name, String... values) {
            attributes.put(name, List.of(values));
            return this;
        }

        /** Which parts xmlsec1 signs: JumpCloud's "Sign Assertion" / "Sign Response" boxes. */
        public Response signed(boolean assertion, boolean response) {
            signAssertion = assertion;
            signResponse = response;
            return this;
        }

        public Response signatureAlgorithm(String uri) {
            signatureAlgorithm = uri;
            return this;
        }

        /** Signs with another key pair (whose certificate then travels in KeyInfo). */
        public Response signedBy(TestCertificates.Identity other) {
            signer = other;
            return this;
        }

        public Response encryptedFor(X509Certificate spCertificate, String keyTransportUri, String dataEncryptionUri) {
            encryptFor = spCertificate;
            keyTransport = keyTransportUri;
            dataEncryption = dataEncryptionUri;
            return this;
        }

        /** Adds a second, unsigned assertion after the first (inside whatever signs the response). */
        public Response withSecondAssertion(String otherNameId) {
            secondAssertionNameId = otherNameId;
            return this;
        }

        /** The response XML, signed (and encrypted) by xmlsec1 as configured. */
        public String xml() {
            String xml = template();
            if (signAssertion) {
                xml = Xmlsec1.sign(xml, "//*[local-name()='Assertion']/*[local-name()='Signature']", signer);
            }
            if (encryptFor != null) {
                xml = encryptAssertion(xml, encryptFor, keyTransport, dataEncryption);
            }
            if (signResponse) {
                xml = Xmlsec1.sign(xml, "/*[local-name()='Response']/*[local-name()='Signature']", signer);
            }
            return xml;
        }

        /** The form value an IdP posts to the ACS. */
        public String base64() {
            return Base64.getEncoder().encodeToString(xml().getBytes(StandardCharsets.UTF_8));
        }

        private String template() {
            String responseId = "R" + UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
            String irt = inResponseTo == null ? "" : " InResponseTo=\"" + inResponseTo + "\"";
            StringBuilder attributeStatement = new StringBuilder();
            if (!attributes.isEmpty()) {
                attributeStatement.append("<saml2:AttributeStatement>");
                attributes.forEach((name, values) -> {
                    attributeStatement.append("<saml2:Attribute Name=\"").append(name).append(
                            "\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified\">");
                    values.forEach(value -> attributeStatement
                            .append("<saml2:AttributeValue xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
                                    + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"xs:string\">")
                            .append(value)
                            .append("</saml2:AttributeValue>"));
                    attributeStatement.append("</saml2:Attribute>");
                });
                attributeStatement.append("</saml2:AttributeStatement>");
            }
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><saml2p:Response xmlns:saml2p=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
                    + "Consent=\"urn:oasis:names:tc:SAML:2.0:consent:unspecified\" Destination=\"" + destination
                    + "\" ID=\""
                    + responseId + "\"" + irt + " IssueInstant=\"" + issued + "\" Version=\"2.0\">"
                    + "<saml2:Issuer xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\" "
                    + "Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:entity\">" + issuer + "</saml2:Issuer>"
                    + (signResponse ? signatureTemplate(responseId) : "")
                    + "<saml2p:Status><saml2p:StatusCode Value=\"" + status + "\"/></saml2p:Status>"
                    + "<saml2:Assertion xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"" + assertionId
                    + "\" IssueInstant=\"" + issued + "\" Version=\"" + assertionVersion + "\">"
                    + "<saml2:Issuer Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:entity\">" + issuer
                    + "</saml2:Issuer>"
                    + (signAssertion ? signatureTemplate(assertionId) : "")
                    + "<saml2:Subject><saml2:NameID Format=\"" + nameIdFormat + "\">" + nameId + "</saml2:NameID>"
                    + "<saml2:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\">"
                    + "<saml2:SubjectConfirmationData" + irt + " NotOnOrAfter=\""
                    + (confirmationNotOnOrAfter != null ? confirmationNotOnOrAfter : notOnOrAfter) + "\" Recipient=\""
                    + recipient + "\"/></saml2:SubjectConfirmation></saml2:Subject>"
                    + "<saml2:Conditions NotBefore=\"" + notBefore + "\"" + conditionsUntil() + ">"
                    + "<saml2:AudienceRestriction><saml2:Audience>" + audience
                    + "</saml2:Audience></saml2:AudienceRestriction>"
                    + extraCondition + "</saml2:Conditions>"
                    + (authnStatement ? "<saml2:AuthnStatement AuthnInstant=\"" + issued + "\" SessionIndex=\""
                            + UUID.randomUUID() + "\"><saml2:AuthnContext><saml2:AuthnContextClassRef>"
                            + "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef>"
                            + "</saml2:AuthnContext></saml2:AuthnStatement>" : "")
                    + attributeStatement
                    + "</saml2:Assertion>" + secondAssertion() + "</saml2p:Response>";
        }

        private String conditionsUntil() {
            Instant until = conditionsUntilSet ? conditionsNotOnOrAfter : notOnOrAfter;
            return until == null ? "" : " NotOnOrAfter=\"" + until + "\"";
        }

        private String secondAssertion() {
            if (secondAssertionNameId == null) {
                return "";
            }
            return "<saml2:Assertion xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"B" + assertionId
                    + "\" IssueInstant=\"" + issued + "\" Version=\"2.0\"><saml2:Issuer>" + issuer + "</saml2:Issuer>"
                    + "<saml2:Subject><saml2:NameID Format=\"" + nameIdFormat + "\">" + secondAssertionNameId
                    + "</saml2:NameID><saml2:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\">"
                    + "<saml2:SubjectConfirmationData NotOnOrAfter=\"" + notOnOrAfter + "\" Recipient=\"" + recipient
                    + "\"/></saml2:SubjectConfirmation></saml2:Subject><saml2:Conditions NotBefore=\"" + notBefore
                    + "\" NotOnOrAfter=\"" + notOnOrAfter + "\"><saml2:AudienceRestriction><saml2:Audience>" + audience
                    + "</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions></saml2:Assertion>";
        }

        private String signatureTemplate(String id) {
            return SamlIdp.signatureTemplate(id, signatureAlgorithm);
        }
    }

    /** Debian's xmlsec1, run as a process. */
    static final class Xmlsec1 {

        private static final List<String> ID_ATTRIBUTES = List.of(
                "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response",
                "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
                "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor");

        static String sign(String xml, String signatureXpath, TestCertificates.Identity signer) {
            Path key = write(signer.privateKeyPem(), ".pem");
            Path certificate = write(signer.certificatePem(), ".pem");
            List<String> command = new ArrayList<>(
                    List.of("xmlsec1", "--sign", "--privkey-pem", key + "," + certificate));
            command.addAll(ID_ATTRIBUTES);
            command.addAll(List.of("--node-xpath", signatureXpath));
            return run(command, xml);
        }

        static String encrypt(String xml, String nodeXpath, X509Certificate recipient, String keyTransport,
                String dataEncryption) {
            Path certificate;
            try {
                certificate = write(TestCertificates.pem("CERTIFICATE", recipient.getEncoded()), ".pem");
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
            Path data = write(xml, ".xml");
            String template = "<xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\" "
                    + "Type=\"http://www.w3.org/2001/04/xmlenc#Element\"><xenc:EncryptionMethod Algorithm=\""
                    + dataEncryption + "\"/><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"
                    + "<xenc:EncryptedKey><xenc:EncryptionMethod Algorithm=\"" + keyTransport + "\"/>"
                    + "<xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo>"
                    + "<xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedData>";
            String keyKind = dataEncryption.contains("aes128") ? "aes-128" : "aes-256";
            List<String> command = new ArrayList<>(List.of("xmlsec1", "--encrypt", "--pubkey-cert-pem",
                    certificate.toString(), "--session-key", keyKind, "--xml-data", data.toString(), "--node-xpath",
                    nodeXpath));
            return run(command, template);
        }

        private static String run(List<String> command, String input) {
            Path in = write(input, ".xml");
            Path out = in.resolveSibling(in.getFileName() + ".out");
            List<String> full = new ArrayList<>(command);
            full.addAll(List.of("--output", out.toString(), in.toString()));
            try {
                Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
                String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor() != 0) {
                    throw new IllegalStateException("xmlsec1 failed: " + log);
                }
                return Files.readString(out);
            } catch (IOException e) {
                throw new IllegalStateException("xmlsec1 (Debian package xmlsec1) is needed for SAML tests; "
                        + "deploy/local/test.sh installs it", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static Path write(String content, String suffix) {
            try {
                Path file = Files.createTempFile("keyway-saml-", suffix);
                file.toFile().deleteOnExit();
                return Files.writeString(file, content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** How long ago a response should have been issued, for expiry tests. */
    public static Instant ago(Duration duration) {
        return Instant.now().minus(duration).truncatedTo(ChronoUnit.MILLIS);
    }
}
