package dev.keyway.sso.saml;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.opensaml.xmlsec.signature.support.SignatureConstants;

/** The signature algorithms an organization may allow, by the names admins use, and the digests that go with them. */
public final class SignatureAlgorithms {

    public static final String RSA_SHA256 = "RSA-SHA256";
    public static final String RSA_SHA512 = "RSA-SHA512";
    public static final String RSA_SHA1 = "RSA-SHA1";

    private static final Map<String, String> SIGNATURES = Map.of(
            RSA_SHA256, SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA256,
            RSA_SHA512, SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA512,
            RSA_SHA1, SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA1);
    private static final Map<String, String> DIGESTS = Map.of(
            RSA_SHA256, SignatureConstants.ALGO_ID_DIGEST_SHA256,
            RSA_SHA512, SignatureConstants.ALGO_ID_DIGEST_SHA512,
            RSA_SHA1, SignatureConstants.ALGO_ID_DIGEST_SHA1);

    private SignatureAlgorithms() {
    }

    public static boolean isKnown(String name) {
        return SIGNATURES.containsKey(name);
    }

    /** Signature method URIs for the allowed names. */
    public static Set<String> signatureUris(Collection<String> names) {
        Set<String> uris = new LinkedHashSet<>();
        names.forEach(name -> uris.add(SIGNATURES.get(name)));
        return uris;
    }

    /** Digest URIs the allowed names imply (SHA-256 is always acceptable as a digest). */
    public static Set<String> digestUris(Collection<String> names) {
        Set<String> uris = new LinkedHashSet<>();
        uris.add(SignatureConstants.ALGO_ID_DIGEST_SHA256);
        names.forEach(name -> uris.add(DIGESTS.get(name)));
        return uris;
    }
}
