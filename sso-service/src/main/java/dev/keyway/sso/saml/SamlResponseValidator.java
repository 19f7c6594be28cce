package dev.keyway.sso.saml;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

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
import org.opensaml.saml.saml2.core.AuthnContext;
import org.opensaml.saml.saml2.core.Conditions;
import org.opensaml.saml.saml2.core.EncryptedAssertion;
import org.opensaml.saml.saml2.core.Issuer;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.NameIDType;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.opensaml.saml.saml2.core.SubjectConfirmationData;
import org.opensaml.saml.saml2.encryption.Decrypter;
import org.opensaml.saml.saml2.encryption.EncryptedElementTypeEncryptedKeyResolver;
import org.opensaml.saml.security.impl.SAMLSignatureProfileValidator;
import org.opensaml.security.credential.Credential;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.encryption.EncryptedData;
import org.opensaml.xmlsec.encryption.EncryptedKey;
import org.opensaml.xmlsec.encryption.support.ChainingEncryptedKeyResolver;
import org.opensaml.xmlsec.encryption.support.DecryptionException;
import org.opensaml.xmlsec.encryption.support.EncryptionConstants;
import org.opensaml.xmlsec.encryption.support.InlineEncryptedKeyResolver;
import org.opensaml.xmlsec.encryption.support.SimpleRetrievalMethodEncryptedKeyResolver;
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
 * {@link Rejection}: size and parsing → version → status → InResponseTo → Destination → Issuer → signature (by a
 * configured certificate only, never a key from KeyInfo, on the Response or on the one assertion used) → decryption
 * → the assertion's version and issuer → conditions, audience, bearer confirmation → InResponseTo as signed →
 * subject → authentication statement. Replay is the caller's next step, with the assertion id and the time until
 * which it must be remembered, both returned here.
 *
 * <p>Only signed data decides. Checks of the Response wrapper before the signature (InResponseTo, Destination,
 * Issuer) can only refuse; whatever leads to a sign-in (the subject, attributes, which request is answered, how long
 * to remember the assertion) is read from the verified assertion, or from a Response whose signature verified.
 *
 * <p>Against signature wrapping: a document (or decrypted assertion) whose IDs repeat is refused; exactly one
 * assertion, a direct child of the Response, is used; and only a signature that is that assertion's own (or the
 * Response's own) child, whose single reference names its parent (OpenSAML's SAML profile check), can cover it.
 *
 * <p>Nothing a library throws on hostile input leaves here untyped: every failure is a {@link SamlRejectedException}.
 */
public final class SamlResponseValidator {

    /** Largest decoded response accepted; JumpCloud's are a few kilobytes. */
    public static final int MAX_BYTES = 128 * 1024;

    /** Data encryption an EncryptedAssertion may use. */
    private static final Set<String> DATA_ENCRYPTION = Set.of(
            EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES128, EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES192,
            EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256, EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES128_GCM,
            EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES192_GCM, EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256_GCM);

    /** Key transport an EncryptedAssertion may use: RSA-OAEP only (RSA-1_5 is open to Bleichenbacher's attack). */
    private static final Set<String> KEY_TRANSPORT = Set.of(
            EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSAOAEP, EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSAOAEP11);

    /** What OpenSAML's decrypter may use: the above, and RSA-OAEP's own digest and mask function. */
    private static final List<String> DECRYPTION_ALGORITHMS = Stream.of(DATA_ENCRYPTION, KEY_TRANSPORT,
            // SHA-1 is RSA-OAEP's default digest: harmless there, unlike in signatures
            List.of(SignatureConstants.ALGO_ID_DIGEST_SHA1, SignatureConstants.ALGO_ID_DIGEST_SHA256,
                    EncryptionConstants.ALGO_ID_MGF1_SHA1, EncryptionConstants.ALGO_ID_MGF1_SHA256))
            .flatMap(Collection::stream).toList();

    /**
     * What this organization expects of a response.
     *
     * @param allowedSignatureAlgorithms names as in {@link SignatureAlgorithms} ({@code RSA-SHA256}, …)
     * @param pendingRequestId the id of this organization's pending AuthnRequest named by InResponseTo, or null
     * @param decryptionKeys   the SP key pairs (active and not yet retired) that may have encrypted the assertion;
     *                         asked for only when the assertion is encrypted (opening a key costs)
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
            Supplier<List<Credential>> decryptionKeys) {

        public Expectations(String idpEntityId, List<X509Certificate> idpCertificates, String spEntityId,
                String acsUrl, SignaturePolicy signaturePolicy, Set<String> allowedSignatureAlgorithms,
                Duration clockSkew, boolean allowUnsolicited, String pendingRequestId,
                List<Credential> decryptionKeys) {
            this(idpEntityId, idpCertificates, spEntityId, acsUrl, signaturePolicy, allowedSignatureAlgorithms,
                    clockSkew, allowUnsolicited, pendingRequestId, () -> decryptionKeys);
        }
    }

    /**
     * What a valid response says.
     *
     * @param inResponseTo the AuthnRequest answered, as the verified signature covers it (null: IdP-initiated)
     * @param keepUntil    how long the assertion id must be remembered against replay: the latest instant at which
     *                     any of its time limits (Conditions, bearer confirmations) still admits it, plus the skew
     */
    public record Validated(
            String assertionId,
            String inResponseTo,
            Instant keepUntil,
            String nameId,
            String nameIdFormat,
            Map<String, List<String>> attributes,
            String authnContextClassRef) {

        /** Attribute values by name, ignoring case (JumpCloud admins name attributes freely). */
        public List<String> attribute(String name) {
            return attributes.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(List.of());
        }
    }

    /**
     * The unsigned Response wrapper's InResponseTo, read before validation so the caller can look up a candidate
     * pending request. Never a decision: {@link #validate} refuses a response whose signed InResponseTo differs, and
     * {@link Validated#inResponseTo()} is the value to act on.
     */
    public static String candidateInResponseTo(Document document) {
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
        } catch (SamlRejectedException e) {
            throw e;
        } catch (XMLParserException e) {
            boolean dtd = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                    .contains("DOCTYPE");
            throw new SamlRejectedException(dtd ? Rejection.DTD_FORBIDDEN : Rejection.MALFORMED, e.getMessage());
        } catch (RuntimeException e) {
            throw new SamlRejectedException(Rejection.MALFORMED, "unparseable: " + e, e);
        }
    }

    public Validated validate(Document document, Expectations expected, Instant now) {
        try {
            return check(document, expected, now);
        } catch (SamlRejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            // OpenSAML, Santuario and the DOM throw unchecked exceptions on input they did not expect: still a refusal
            throw new SamlRejectedException(Rejection.MALFORMED, "unexpected " + e, e);
        }
    }

    private Validated check(Document document, Expectations expected, Instant now) {
        requireUniqueIds(document);
        Response response = unmarshall(document);
        requireVersion20(document.getDocumentElement(), "Response");

        StatusCode status = response.getStatus() == null ? null : response.getStatus().getStatusCode();
        if (status == null || !StatusCode.SUCCESS.equals(status.getValue())) {
            throw new SamlRejectedException(Rejection.STATUS_NOT_SUCCESS,
                    status == null ? "no status" : status.getValue()
                            + (status.getStatusCode() != null ? " / " + status.getStatusCode().getValue() : ""));
        }

        // the unsigned wrapper can only refuse here; the signed value decides below
        String claimedInResponseTo = response.getInResponseTo();
        if (claimedInResponseTo != null && !claimedInResponseTo.equals(expected.pendingRequestId())) {
            throw new SamlRejectedException(Rejection.UNKNOWN_IN_RESPONSE_TO, claimedInResponseTo);
        }
        if (claimedInResponseTo == null && !expected.allowUnsolicited()) {
            throw new SamlRejectedException(Rejection.UNSOLICITED_NOT_ALLOWED, null);
        }

        if (!expected.acsUrl().equals(response.getDestination())) {
            throw new SamlRejectedException(Rejection.WRONG_DESTINATION, response.getDestination());
        }

        requireIssuer(response.getIssuer(), expected, "response", true);

        int assertions = response.getAssertions().size() + response.getEncryptedAssertions().size();
        if (assertions != 1) {
            throw new SamlRejectedException(Rejection.ASSERTION_COUNT, assertions + " assertions");
        }
        boolean responseSigned = response.getSignature() != null;
        if (responseSigned) {
            verify(response.getSignature(), expected, "Response");
        }
        Assertion assertion;
        if (response.getAssertions().isEmpty()) {
            // nothing unauthenticated is decrypted that the policy would refuse anyway
            if (!responseSigned && expected.signaturePolicy().requiresResponseSignature()) {
                throw new SamlRejectedException(Rejection.SIGNATURE_MISSING, "policy " + expected.signaturePolicy()
                        + ", encrypted assertion in an unsigned response");
            }
            assertion = decrypt(response.getEncryptedAssertions().get(0), expected);
        } else {
            assertion = response.getAssertions().get(0);
        }
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

        // from here on, everything read is covered by a verified signature
        requireVersion20(assertion.getDOM(), "Assertion");
        requireIssuer(assertion.getIssuer(), expected, "assertion", false);
        checkConditions(assertion.getConditions(), expected, now);
        SubjectConfirmationData confirmation = checkBearerConfirmation(assertion, expected, now);
        String inResponseTo = signedInResponseTo(claimedInResponseTo, responseSigned, confirmation, expected);

        NameID nameId = assertion.getSubject() == null ? null : assertion.getSubject().getNameID();
        String subject = nameId == null || nameId.getDOM() == null ? null : nameId.getDOM().getTextContent().strip();
        if (subject == null || subject.isEmpty()) {
            throw new SamlRejectedException(Rejection.NAME_ID_MISSING, null);
        }
        if (assertion.getAuthnStatements().isEmpty()) {
            throw new SamlRejectedException(Rejection.AUTHN_STATEMENT_MISSING, null);
        }
        if (assertion.getID() == null) {
            throw new SamlRejectedException(Rejection.MALFORMED, "assertion without ID");
        }
        return new Validated(assertion.getID(), inResponseTo, keepUntil(assertion, expected.clockSkew()), subject,
                nameId.getFormat(), attributes(assertion), authnContextClassRef(assertion));
    }

    /** How the IdP authenticated the user (the first AuthnStatement's class reference), for OpenID Connect's acr. */
    private static String authnContextClassRef(Assertion assertion) {
        AuthnContext context = assertion.getAuthnStatements().get(0).getAuthnContext();
        return context == null || context.getAuthnContextClassRef() == null ? null
                : context.getAuthnContextClassRef().getURI();
    }

    /**
     * The request this response answers, from signed data only: the signed Response's InResponseTo, or else the
     * verified assertion's bearer confirmation's. The wrapper's claim must say the same (a response that claims one
     * request while its signature covers another, or none, is refused), and the signed value alone decides whether
     * the sign-in is solicited.
     */
    private static String signedInResponseTo(String claimed, boolean responseSigned,
            SubjectConfirmationData confirmation, Expectations expected) {
        String confirmed = confirmation.getInResponseTo();
        if (responseSigned && confirmed != null && !confirmed.equals(claimed)) {
            throw new SamlRejectedException(Rejection.BEARER_CONFIRMATION_INVALID, "in response to " + confirmed);
        }
        String signed = responseSigned ? claimed : confirmed;
        if (!Objects.equals(signed, claimed)) {
            throw new SamlRejectedException(Rejection.IN_RESPONSE_TO_MISMATCH,
                    "response says " + claimed + ", signed data says " + signed);
        }
        if (signed == null && !expected.allowUnsolicited()) {
            throw new SamlRejectedException(Rejection.UNSOLICITED_NOT_ALLOWED, null);
        }
        if (signed != null && !signed.equals(expected.pendingRequestId())) {
            throw new SamlRejectedException(Rejection.UNKNOWN_IN_RESPONSE_TO, signed);
        }
        return signed;
    }

    /** The latest time limit of the assertion, plus the skew: until then, its own conditions would still admit it. */
    private static Instant keepUntil(Assertion assertion, Duration skew) {
        Instant latest = assertion.getConditions().getNotOnOrAfter();
        for (SubjectConfirmation confirmation : assertion.getSubject().getSubjectConfirmations()) {
            SubjectConfirmationData data = confirmation.getSubjectConfirmationData();
            if (SubjectConfirmation.METHOD_BEARER.equals(confirmation.getMethod()) && data != null
                    && data.getNotOnOrAfter() != null && (latest == null || data.getNotOnOrAfter().isAfter(latest))) {
                latest = data.getNotOnOrAfter();
            }
        }
        return latest.plus(skew);
    }

    /** SAML 2.0 only, read from the element itself (OpenSAML would default a missing Version to 2.0). */
    private static void requireVersion20(Element element, String what) {
        String version = element == null ? null : element.getAttributeNS(null, "Version");
        if (!"2.0".equals(version)) {
            throw new SamlRejectedException(Rejection.WRONG_VERSION, what + " version '" + version + "'");
        }
    }

    /** The IdP's entity id, in the entity format if a format is given (a Response may omit its Issuer). */
    private static void requireIssuer(Issuer issuer, Expectations expected, String what, boolean optional) {
        if (issuer == null) {
            if (optional) {
                return;
            }
            throw new SamlRejectedException(Rejection.WRONG_ISSUER, what + " without issuer");
        }
        if (!expected.idpEntityId().equals(issuer.getValue())) {
            throw new SamlRejectedException(Rejection.WRONG_ISSUER, what + " issued by " + issuer.getValue());
        }
        if (issuer.getFormat() != null && !NameIDType.ENTITY.equals(issuer.getFormat())) {
            throw new SamlRejectedException(Rejection.WRONG_ISSUER, what + " issuer format " + issuer.getFormat());
        }
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
                if (("ID".equals(name) || "Id".equals(name) || "id".equals(name))
                        && !seen.add(attribute.getNodeValue())) {
                    throw new SamlRejectedException(Rejection.DUPLICATE_ID, attribute.getNodeValue());
                }
            }
        }
    }

    private static void verify(Signature signature, Expectations expected, String what) {
        try {
            verifyOrThrow(signature, expected, what);
        } catch (SamlRejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            // Santuario on a signature it cannot process (a DigestMethod without Algorithm, …)
            throw new SamlRejectedException(Rejection.SIGNATURE_INVALID, what + ": unprocessable signature: " + e, e);
        }
    }

    private static void verifyOrThrow(Signature signature, Expectations expected, String what) {
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
                var digestMethod = signedInfo.item(i).getMessageDigestAlgorithm();
                if (digestMethod == null) {
                    throw new SamlRejectedException(Rejection.SIGNATURE_INVALID,
                            what + ": DigestMethod without Algorithm");
                }
                String digest = digestMethod.getAlgorithmURI();
                if (!allowedDigests.contains(digest)) {
                    throw new SamlRejectedException(Rejection.SIGNATURE_ALGORITHM_NOT_ALLOWED,
                            what + " digest " + digest);
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

    /**
     * The assertion inside, decrypted with this organization's SP keys under an algorithm allow-list, into a document
     * of its own (so its signature can reference nothing outside it) whose IDs must not repeat either.
     */
    private static Assertion decrypt(EncryptedAssertion encrypted, Expectations expected) {
        requireAllowedEncryption(encrypted);
        List<Credential> keys;
        try {
            keys = expected.decryptionKeys().get();
        } catch (IllegalStateException e) { // a sealed SP key that does not open here
            throw new SamlRejectedException(Rejection.DECRYPTION_FAILED, e.getMessage(), e);
        }
        if (keys.isEmpty()) {
            throw new SamlRejectedException(Rejection.DECRYPTION_FAILED, "no SP key pair configured");
        }
        Decrypter decrypter = new Decrypter(null, new StaticKeyInfoCredentialResolver(keys),
                new ChainingEncryptedKeyResolver(List.of(new InlineEncryptedKeyResolver(),
                        new EncryptedElementTypeEncryptedKeyResolver(),
                        new SimpleRetrievalMethodEncryptedKeyResolver())),
                DECRYPTION_ALGORITHMS, List.of());
        decrypter.setRootInNewDocument(true);
        Assertion assertion;
        try {
            assertion = decrypter.decrypt(encrypted);
        } catch (DecryptionException | RuntimeException e) {
            throw new SamlRejectedException(Rejection.DECRYPTION_FAILED, e.getMessage(), e);
        }
        if (assertion.getDOM() == null) {
            throw new SamlRejectedException(Rejection.DECRYPTION_FAILED, "decrypted assertion has no DOM");
        }
        requireUniqueIds(assertion.getDOM().getOwnerDocument());
        return assertion;
    }

    /** Data encryption and every key transport named must be on the allow-lists, before any key is used. */
    private static void requireAllowedEncryption(EncryptedAssertion encrypted) {
        EncryptedData data = encrypted.getEncryptedData();
        String dataAlgorithm = data == null || data.getEncryptionMethod() == null ? null
                : data.getEncryptionMethod().getAlgorithm();
        if (!DATA_ENCRYPTION.contains(dataAlgorithm)) {
            throw new SamlRejectedException(Rejection.ENCRYPTION_ALGORITHM_NOT_ALLOWED,
                    "data encryption " + dataAlgorithm);
        }
        List<EncryptedKey> keys = new ArrayList<>(encrypted.getEncryptedKeys());
        if (data.getKeyInfo() != null) {
            keys.addAll(data.getKeyInfo().getEncryptedKeys());
        }
        for (EncryptedKey key : keys) {
            String keyAlgorithm = key.getEncryptionMethod() == null ? null : key.getEncryptionMethod().getAlgorithm();
            if (!KEY_TRANSPORT.contains(keyAlgorithm)) {
                throw new SamlRejectedException(Rejection.ENCRYPTION_ALGORITHM_NOT_ALLOWED,
                        "key transport " + keyAlgorithm);
            }
        }
    }

    /** The conditions SAML defines and Keyway honours; any other condition refuses the assertion (SAML core 2.5.1.5). */
    private static final Set<String> UNDERSTOOD_CONDITIONS = Set.of("AudienceRestriction", "OneTimeUse",
            "ProxyRestriction");

    private static void checkConditions(Conditions conditions, Expectations expected, Instant now) {
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
        // read from the DOM: OpenSAML silently drops child elements it has no type for
        for (Node child = conditions.getDOM().getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element condition && !(SAMLConstants.SAML20_NS.equals(condition.getNamespaceURI())
                    && UNDERSTOOD_CONDITIONS.contains(condition.getLocalName()))) {
                throw new SamlRejectedException(Rejection.UNKNOWN_CONDITION, "{" + condition.getNamespaceURI() + "}"
                        + condition.getLocalName() + " " + condition.getAttributeNS(
                                "http://www.w3.org/2001/XMLSchema-instance", "type"));
            }
        }
        List<AudienceRestriction> restrictions = conditions.getAudienceRestrictions();
        if (restrictions.isEmpty() || !restrictions.stream().allMatch(restriction -> restriction.getAudiences()
                .stream().anyMatch(audience -> expected.spEntityId().equals(audience.getURI())))) {
            throw new SamlRejectedException(Rejection.WRONG_AUDIENCE, restrictions.stream()
                    .flatMap(restriction -> restriction.getAudiences().stream()).map(a -> a.getURI()).toList()
                    .toString());
        }
    }

    /** The first bearer confirmation for this ACS that is valid now (its InResponseTo is judged by the caller). */
    private static SubjectConfirmationData checkBearerConfirmation(Assertion assertion, Expectations expected,
            Instant now) {
        List<String> problems = new ArrayList<>();
        for (SubjectConfirmation confirmation : assertion.getSubject() == null ? List.<SubjectConfirmation>of()
                : assertion.getSubject().getSubjectConfirmations()) {
            SubjectConfirmationData data = confirmation.getSubjectConfirmationData();
            if (!SubjectConfirmation.METHOD_BEARER.equals(confirmation.getMethod())) {
                problems.add("method " + confirmation.getMethod());
            } else if (data == null || !expected.acsUrl().equals(data.getRecipient())) {
                problems.add("recipient " + (data == null ? null : data.getRecipient()));
            } else if (data.getNotOnOrAfter() == null
                    || !now.minus(expected.clockSkew()).isBefore(data.getNotOnOrAfter())) {
                problems.add("expired " + data.getNotOnOrAfter());
            } else if (data.getNotBefore() != null) {
                problems.add("bearer confirmation with NotBefore");
            } else {
                return data;
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
