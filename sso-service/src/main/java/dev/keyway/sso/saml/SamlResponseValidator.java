package dev.keyway.sso.saml;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.XMLSignature;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.io.UnmarshallingException;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Attribute;
import org.opensaml.saml.saml2.core.AttributeStatement;
import org.opensaml.saml.saml2.core.AudienceRestriction;
import org.opensaml.saml.saml2.core.Conditions;
import org.opensaml.saml.saml2.core.EncryptedAssertion;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.opensaml.saml.saml2.core.SubjectConfirmationData;
import org.opensaml.saml.saml2.encryption.Decrypter;
import org.opensaml.saml.security.impl.SAMLSignatureProfileValidator;
import org.opensaml.security.credential.Credential;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.encryption.support.ChainingEncryptedKeyResolver;
import org.opensaml.xmlsec.encryption.support.DecryptionException;
import org.opensaml.xmlsec.encryption.support.EncryptionConstants;
import org.opensaml.xmlsec.encryption.support.InlineEncryptedKeyResolver;
import org.opensaml.xmlsec.encryption.support.SimpleRetrievalMethodEncryptedKeyResolver;
import org.opensaml.saml.saml2.encryption.EncryptedElementTypeEncryptedKeyResolver;
import org.opensaml.xmlsec.keyinfo.impl.StaticKeyInfoCredentialResolver;
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.impl.SignatureImpl;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.opensaml.xmlsec.signature.support.SignatureException;
import org.opensaml.xmlsec.signature.support.SignatureValidator;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import net.shibboleth.utilities.java.support.xml.XMLParserException;

/**
 * Decides whether a SAML Response may sign someone in, by rules in a fixed order, each with its own
 * {@link Rejection}: size and parsing → status → InResponseTo → Destination → Issuer → signature (by a configured
 * certificate only, never a key from KeyInfo, on the Response or on the one assertion used) → decryption →
 * conditions, audience, bearer confirmation → subject. Replay is the caller's next step, with the assertion id
 * returned here.
 *
 * <p>Against signature wrapping: a document whose IDs repeat is refused; exactly one assertion, a direct child of
 * the Response, is used; and only a signature that is that assertion's own (or the Response's own) child, whose
 * single reference names its parent (OpenSAML's SAML profile check), can cover it.
 */
public final class SamlResponseValidator {

    /** Largest decoded response accepted; JumpCloud's are a few kilobytes. */
    public static final int MAX_BYTES = 128 * 1024;

    private static final List<String> DECRYPTION_ALGORITHMS = List.of(
            EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES128, EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES192,
            EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256, EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES128_GCM,
            EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES192_GCM, EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256_GCM,
            EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSAOAEP, EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSAOAEP11,
            EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSA15,
            // RSA-OAEP's own digest and mask function (SHA-1 by default: harmless there, unlike in signatures)
            SignatureConstants.ALGO_ID_DIGEST_SHA1, SignatureConstants.ALGO_ID_DIGEST_SHA256,
            EncryptionConstants.ALGO_ID_MGF1_SHA1, EncryptionConstants.ALGO_ID_MGF1_SHA256);

    /**
     * What this organization expects of a response.
     *
     * @param allowedSignatureAlgorithms names as in {@link SignatureAlgorithms} ({@code RSA-SHA256}, …)
     * @param pendingRequestId the id of this organization's pending AuthnRequest named by InResponseTo, or null
     * @param decryptionKeys   the SP key pairs (active and not yet retired) that may have encrypted the assertion
     */
    public record Expectations(
            String idpEntityId,
            List<X509Certificate> idpCertificates,
            String spEntityId,
            String acsUrl,
            SignaturePolicy signaturePolicy,
            Set<String> allowedSignatureAlgorithms,
            Duration clockSkew,
            boolean allowUnsolicited,
            String pendingRequestId,
            List<Credential> decryptionKeys) {
    }

    /** What a valid response says. */
    public record Validated(
            String assertionId,
            String inResponseTo,
            Instant notOnOrAfter,
            String nameId,
            String nameIdFormat,
            Map<String, List<String>> attributes) {

        /** Attribute values by name, ignoring case (JumpCloud admins name attributes freely). */
        public List<String> attribute(String name) {
            return attributes.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(List.of());
        }
    }

    /** Reads InResponseTo before validation, so the caller can look the pending request up. */
    public static String inResponseTo(Document document) {
        String value = document.getDocumentElement().getAttribute("InResponseTo");
        return value.isEmpty() ? null : value;
    }

    public static Document parse(byte[] xml) {
        if (xml.length > MAX_BYTES) {
            throw new SamlRejectedException(Rejection.TOO_LARGE, xml.length + " bytes");
        }
        try {
            Document document = OpenSaml.parse(xml);
            Element root = document.getDocumentElement();
            if (!SAMLConstants.SAML20P_NS.equals(root.getNamespaceURI()) || !"Response".equals(root.getLocalName())) {
                throw new SamlRejectedException(Rejection.MALFORMED, "root element " + root.getNodeName());
            }
            return document;
        } catch (XMLParserException e) {
            boolean dtd = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                    .contains("DOCTYPE");
            throw new SamlRejectedException(dtd ? Rejection.DTD_FORBIDDEN : Rejection.MALFORMED, e.getMessage());
        }
    }

    public Validated validate(Document document, Expectations expected, Instant now) {
        requireUniqueIds(document);
        Response response = unmarshall(document);

        StatusCode status = response.getStatus() == null ? null : response.getStatus().getStatusCode();
        if (status == null || !StatusCode.SUCCESS.equals(status.getValue())) {
            throw new SamlRejectedException(Rejection.STATUS_NOT_SUCCESS, status == null ? "no status" : status.getValue()
                    + (status.getStatusCode() != null ? " / " + status.getStatusCode().getValue() : ""));
        }

        String inResponseTo = response.getInResponseTo();
        if (inResponseTo != null && !inResponseTo.equals(expected.pendingRequestId())) {
            throw new SamlRejectedException(Rejection.UNKNOWN_IN_RESPONSE_TO, inResponseTo);
        }
        if (inResponseTo == null && !expected.allowUnsolicited()) {
            throw new SamlRejectedException(Rejection.UNSOLICITED_NOT_ALLOWED, null);
        }

        if (!expected.acsUrl().equals(response.getDestination())) {
            throw new SamlRejectedException(Rejection.WRONG_DESTINATION, response.getDestination());
        }

        if (response.getIssuer() != null && !expected.idpEntityId().equals(response.getIssuer().getValue())) {
            throw new SamlRejectedException(Rejection.WRONG_ISSUER, response.getIssuer().getValue());
        }

        int assertions = response.getAssertions().size() + response.getEncryptedAssertions().size();
        if (assertions != 1) {
            throw new SamlRejectedException(Rejection.ASSERTION_COUNT, assertions + " assertions");
        }
        boolean responseSigned = response.getSignature() != null;
        if (responseSigned) {
            verify(response.getSignature(), expected, "Response");
        }
        Assertion assertion = response.getAssertions().isEmpty()
                ? decrypt(response.getEncryptedAssertions().get(0), expected)
                : response.getAssertions().get(0);
        boolean assertionSigned = assertion.getSignature() != null;
        if (assertionSigned) {
            verify(assertion.getSignature(), expected, "Assertion");
        }
        boolean covered = switch (expected.signaturePolicy()) {
            case EITHER -> responseSigned || assertionSigned;
            case ASSERTION -> assertionSigned;
            case RESPONSE -> responseSigned;
            case BOTH -> responseSigned && assertionSigned;
        };
        if (!covered) {
            throw new SamlRejectedException(Rejection.SIGNATURE_MISSING, "policy " + expected.signaturePolicy()
                    + ", response signed: " + responseSigned + ", assertion signed: " + assertionSigned);
        }

        if (assertion.getIssuer() == null || !expected.idpEntityId().equals(assertion.getIssuer().getValue())) {
            throw new SamlRejectedException(Rejection.WRONG_ISSUER,
                    assertion.getIssuer() == null ? "assertion without issuer" : assertion.getIssuer().getValue());
        }
        Instant notOnOrAfter = checkConditions(assertion.getConditions(), expected, now);
        checkBearerConfirmation(assertion, expected, inResponseTo, now);

        NameID nameId = assertion.getSubject() == null ? null : assertion.getSubject().getNameID();
        String subject = nameId == null || nameId.getDOM() == null ? null : nameId.getDOM().getTextContent().strip();
        if (subject == null || subject.isEmpty()) {
            throw new SamlRejectedException(Rejection.NAME_ID_MISSING, null);
        }
        if (assertion.getID() == null) {
            throw new SamlRejectedException(Rejection.MALFORMED, "assertion without ID");
        }
        return new Validated(assertion.getID(), inResponseTo, notOnOrAfter, subject, nameId.getFormat(),
                attributes(assertion));
    }

    private static Response unmarshall(Document document) {
        try {
            XMLObject object = OpenSaml.unmarshall(document.getDocumentElement());
            if (!(object instanceof Response response)) {
                throw new SamlRejectedException(Rejection.MALFORMED, "not a Response");
            }
            return response;
        } catch (UnmarshallingException | RuntimeException e) {
            if (e instanceof SamlRejectedException rejected) {
                throw rejected;
            }
            throw new SamlRejectedException(Rejection.MALFORMED, e.getMessage(), e);
        }
    }

    /** Repeated ID values let a signature reference resolve to another element than the one used. */
    private static void requireUniqueIds(Document document) {
        Set<String> seen = new HashSet<>();
        NodeList elements = document.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < elements.getLength(); i++) {
            NamedNodeMap attributes = elements.item(i).getAttributes();
            for (int j = 0; j < attributes.getLength(); j++) {
                Node attribute = attributes.item(j);
                String name = attribute.getLocalName() != null ? attribute.getLocalName() : attribute.getNodeName();
                if (("ID".equals(name) || "Id".equals(name) || "id".equals(name)) && !seen.add(attribute.getNodeValue())) {
                    throw new SamlRejectedException(Rejection.DUPLICATE_ID, attribute.getNodeValue());
                }
            }
        }
    }

    private static void verify(Signature signature, Expectations expected, String what) {
        if (!SignatureAlgorithms.signatureUris(expected.allowedSignatureAlgorithms())
                .contains(signature.getSignatureAlgorithm())) {
            throw new SamlRejectedException(Rejection.SIGNATURE_ALGORITHM_NOT_ALLOWED,
                    what + " signed with " + signature.getSignatureAlgorithm());
        }
        Set<String> allowedDigests = SignatureAlgorithms.digestUris(expected.allowedSignatureAlgorithms());
        XMLSignature xmlSignature = ((SignatureImpl) signature).getXMLSignature();
        try {
            SignedInfo signedInfo = xmlSignature.getSignedInfo();
            for (int i = 0; i < signedInfo.getLength(); i++) {
                String digest = signedInfo.item(i).getMessageDigestAlgorithm().getAlgorithmURI();
                if (!allowedDigests.contains(digest)) {
                    throw new SamlRejectedException(Rejection.SIGNATURE_ALGORITHM_NOT_ALLOWED, what + " digest " + digest);
                }
            }
        } catch (XMLSecurityException e) {
            throw new SamlRejectedException(Rejection.SIGNATURE_INVALID, what + ": " + e.getMessage(), e);
        }
        try {
            new SAMLSignatureProfileValidator().validate(signature);
        } catch (SignatureException e) {
            throw new SamlRejectedException(Rejection.SIGNATURE_INVALID, what + ": " + e.getMessage(), e);
        }
        for (X509Certificate certificate : expected.idpCertificates()) {
            try {
                SignatureValidator.validate(signature, new BasicX509Credential(certificate));
                return;
            } catch (SignatureException e) {
                // try the next configured certificate (rollover)
            }
        }
        throw new SamlRejectedException(Rejection.SIGNATURE_INVALID,
                what + " not signed by any of the " + expected.idpCertificates().size() + " configured certificates");
    }

    private static Assertion decrypt(EncryptedAssertion encrypted, Expectations expected) {
        if (expected.decryptionKeys().isEmpty()) {
            throw new SamlRejectedException(Rejection.DECRYPTION_FAILED, "no SP key pair configured");
        }
        Decrypter decrypter = new Decrypter(null, new StaticKeyInfoCredentialResolver(expected.decryptionKeys()),
                new ChainingEncryptedKeyResolver(List.of(new InlineEncryptedKeyResolver(),
                        new EncryptedElementTypeEncryptedKeyResolver(), new SimpleRetrievalMethodEncryptedKeyResolver())),
                DECRYPTION_ALGORITHMS, List.of());
        decrypter.setRootInNewDocument(true);
        try {
            return decrypter.decrypt(encrypted);
        } catch (DecryptionException e) {
            throw new SamlRejectedException(Rejection.DECRYPTION_FAILED, e.getMessage(), e);
        }
    }

    private static Instant checkConditions(Conditions conditions, Expectations expected, Instant now) {
        Duration skew = expected.clockSkew();
        if (conditions == null) {
            throw new SamlRejectedException(Rejection.WRONG_AUDIENCE, "no conditions");
        }
        if (conditions.getNotBefore() != null && now.plus(skew).isBefore(conditions.getNotBefore())) {
            throw new SamlRejectedException(Rejection.NOT_YET_VALID, "not before " + conditions.getNotBefore());
        }
        Instant notOnOrAfter = conditions.getNotOnOrAfter();
        if (notOnOrAfter != null && !now.minus(skew).isBefore(notOnOrAfter)) {
            throw new SamlRejectedException(Rejection.EXPIRED, "not on or after " + notOnOrAfter);
        }
        List<AudienceRestriction> restrictions = conditions.getAudienceRestrictions();
        if (restrictions.isEmpty() || !restrictions.stream().allMatch(restriction -> restriction.getAudiences()
                .stream().anyMatch(audience -> expected.spEntityId().equals(audience.getURI())))) {
            throw new SamlRejectedException(Rejection.WRONG_AUDIENCE, restrictions.stream()
                    .flatMap(restriction -> restriction.getAudiences().stream()).map(a -> a.getURI()).toList().toString());
        }
        return notOnOrAfter;
    }

    private static void checkBearerConfirmation(Assertion assertion, Expectations expected, String inResponseTo,
            Instant now) {
        List<String> problems = new ArrayList<>();
        for (SubjectConfirmation confirmation : assertion.getSubject() == null ? List.<SubjectConfirmation>of()
                : assertion.getSubject().getSubjectConfirmations()) {
            SubjectConfirmationData data = confirmation.getSubjectConfirmationData();
            if (!SubjectConfirmation.METHOD_BEARER.equals(confirmation.getMethod())) {
                problems.add("method " + confirmation.getMethod());
            } else if (data == null || !expected.acsUrl().equals(data.getRecipient())) {
                problems.add("recipient " + (data == null ? null : data.getRecipient()));
            } else if (data.getNotOnOrAfter() == null || !now.minus(expected.clockSkew()).isBefore(data.getNotOnOrAfter())) {
                problems.add("expired " + data.getNotOnOrAfter());
            } else if (data.getNotBefore() != null) {
                problems.add("bearer confirmation with NotBefore");
            } else if (data.getInResponseTo() != null && !data.getInResponseTo().equals(inResponseTo)) {
                problems.add("in response to " + data.getInResponseTo());
            } else {
                return;
            }
        }
        throw new SamlRejectedException(Rejection.BEARER_CONFIRMATION_INVALID, problems.toString());
    }

    /** Attribute values as text of the verified DOM, every text node included (comments cannot cut them short). */
    private static Map<String, List<String>> attributes(Assertion assertion) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (AttributeStatement statement : assertion.getAttributeStatements()) {
            for (Attribute attribute : statement.getAttributes()) {
                List<String> values = attributes.computeIfAbsent(attribute.getName(), name -> new ArrayList<>());
                for (XMLObject value : attribute.getAttributeValues()) {
                    if (value.getDOM() != null) {
                        values.add(value.getDOM().getTextContent().strip());
                    }
                }
            }
        }
        return attributes;
    }
}
