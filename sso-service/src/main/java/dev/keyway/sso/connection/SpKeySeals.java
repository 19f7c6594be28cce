package dev.keyway.sso.connection;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.runtime.crypto.SecretBox;

/**
 * SP private keys at rest: sealed bound to their organization and id, and opened only through the {@link Supplier}
 * handed out here, which the sign-in calls when it signs an AuthnRequest or decrypts an assertion. Loading a
 * connection (metadata, the admin view) never opens one.
 */
@ApplicationScoped
public class SpKeySeals {

    private final SecretBox secrets;

    public SpKeySeals(SecretBox secrets) {
        this.secrets = secrets;
    }

    public String seal(UUID orgId, UUID id, PrivateKey key) {
        return secrets.seal(key.getEncoded(), sealContext(orgId, id));
    }

    /**
     * Opens the sealed private key the first time it is called, and keeps it for the later calls (the loaded
     * connection is cached, so an organization's key is opened once per replica and set-up version, and only if
     * something signs or decrypts with it). A key that does not open is tried again at the next call.
     */
    public Supplier<PrivateKey> opener(UUID orgId, UUID id, String sealed, boolean sealedForOrg) {
        String context = sealedForOrg ? sealContext(orgId, id) : legacySealContext(id);
        return new Supplier<>() {

            private volatile PrivateKey opened;

            @Override
            public PrivateKey get() {
                PrivateKey key = opened;
                if (key == null) {
                    key = open(orgId, id, sealed, context);
                    opened = key;
                }
                return key;
            }
        };
    }

    private PrivateKey open(UUID orgId, UUID id, String sealed, String context) {
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(secrets.open(sealed, context)));
        } catch (GeneralSecurityException | SecretBox.SecretBoxException e) {
            throw new IllegalStateException("SP key " + id + " of organization " + orgId + " does not open here"
                    + " (sealed for another organization or key, or with a key no longer configured)", e);
        }
    }

    /** The sealing context of an SP key: its organization and id, so a key moved to another organization fails. */
    private static String sealContext(UUID orgId, UUID id) {
        return "sp-key:" + orgId + ":" + id;
    }

    /** How keys sealed before V4 were bound (to their id only); read as they are until rotated. */
    private static String legacySealContext(UUID id) {
        return "sp-key:" + id;
    }
}
