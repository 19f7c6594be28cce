package dev.keyway.sso.connection;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;

/**
 * Everything sign-in needs to know about one organization's SAML set-up, as of {@code version} (the organization's
 * {@code saml_version}, raised by every change of its set-up: how a cached copy is known to be current).
 */
public record SamlConnection(
        UUID orgId,
        String slug,
        Region region,
        String idpEntityId,
        String idpRedirectUrl,
        String idpPostUrl,
        String idpMetadataUrl,
        List<IdpCertificate> idpCertificates,
        List<SpKey> spKeys,
        SamlSettings settings,
        long version) {

    /** A certificate the IdP signs with. */
    public record IdpCertificate(UUID id, X509Certificate certificate, String fingerprint, Instant notAfter) {
    }

    /**
     * An SP key pair that is not retired. Its private key is opened (unsealed) only when something signs or decrypts
     * with it, never to show the certificate or render metadata.
     */
    public record SpKey(UUID id, X509Certificate certificate, SpKeyUse use, String fingerprint, Instant notAfter,
            Instant createdAt, Supplier<PrivateKey> opener) {

        /** @throws IllegalStateException when the sealed key does not open (e.g. copied from another organization) */
        public PrivateKey privateKey() {
            return opener.get();
        }
    }

    public OrgId org() {
        return new OrgId(orgId);
    }

    /** An IdP is trusted: its responses can be verified, so IdP-initiated sign-in works. */
    public boolean configured() {
        return idpEntityId != null && !idpCertificates.isEmpty();
    }

    /**
     * Sign-in can start here (SP-initiated): the IdP's SSO URL is known. An IdP given as entity id and certificate
     * alone is reached from its own portal (JumpCloud's user console) until then.
     */
    public boolean spInitiated() {
        return configured() && (idpRedirectUrl != null || idpPostUrl != null);
    }

    /** The newest signing key: it signs AuthnRequests and is announced in our metadata with use="signing". */
    public Optional<SpKey> signingKey() {
        return spKeys.stream().filter(key -> key.use().signs()).max(Comparator.comparing(SpKey::createdAt));
    }

    /** The newest encryption key, announced in our metadata with use="encryption" for the IdP to encrypt to. */
    public Optional<SpKey> encryptionKey() {
        return spKeys.stream().filter(key -> key.use().encrypts()).max(Comparator.comparing(SpKey::createdAt));
    }

    /** Every encryption key not retired: an IdP may still encrypt to an older one while it rolls over. */
    public List<SpKey> decryptionKeys() {
        return spKeys.stream().filter(key -> key.use().encrypts()).toList();
    }

    public List<X509Certificate> idpX509Certificates() {
        return idpCertificates.stream().map(IdpCertificate::certificate).toList();
    }
}
