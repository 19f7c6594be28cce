package dev.keyway.sso.connection;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;

/** Everything sign-in needs to know about one organization's SAML set-up. */
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
        SamlSettings settings) {

    /** A certificate the IdP signs with. */
    public record IdpCertificate(UUID id, X509Certificate certificate, String fingerprint, Instant notAfter) {
    }

    /** An SP key pair that is not retired: it may decrypt, and the newest signs. */
    public record SpKey(UUID id, X509Certificate certificate, PrivateKey privateKey, String fingerprint,
            Instant notAfter, Instant createdAt) {
    }

    public OrgId org() {
        return new OrgId(orgId);
    }

    public boolean configured() {
        return idpEntityId != null && !idpCertificates.isEmpty() && (idpRedirectUrl != null || idpPostUrl != null);
    }

    /** The key pair that signs AuthnRequests and is announced first in our metadata. */
    public Optional<SpKey> currentSpKey() {
        return spKeys.stream().max(Comparator.comparing(SpKey::createdAt));
    }

    public List<X509Certificate> idpX509Certificates() {
        return idpCertificates.stream().map(IdpCertificate::certificate).toList();
    }
}
