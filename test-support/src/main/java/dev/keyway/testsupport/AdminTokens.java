package dev.keyway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import dev.keyway.common.auth.KeywayClaims;
import dev.keyway.common.tenant.OrgId;
import io.smallrye.jwt.build.Jwt;

/**
 * Owner tokens for services under test that are not sso-service: signed by a key of this JVM whose public half the
 * test stack hands to the service as its verification key, just as sso-service's JWKS would be.
 */
public final class AdminTokens {

    public static final String ISSUER = "keyway";

    private static final KeyPair KEYS = generate();
    private static final KeyPair STRANGER_KEYS = generate();
    private static Path publicKeyFile;

    private AdminTokens() {
    }

    public static String owner(OrgId orgId, String slug) {
        return sign(orgId, slug, Set.of(KeywayClaims.OWNER), Duration.ofMinutes(10), KEYS);
    }

    public static String expiredOwner(OrgId orgId, String slug) {
        return sign(orgId, slug, Set.of(KeywayClaims.OWNER), Duration.ofMinutes(-10), KEYS);
    }

    /** A well-formed owner token signed by a key the service does not trust. */
    public static String forgedOwner(OrgId orgId, String slug) {
        return sign(orgId, slug, Set.of(KeywayClaims.OWNER), Duration.ofMinutes(10), STRANGER_KEYS);
    }

    private static String sign(OrgId orgId, String slug, Set<String> roles, Duration lifetime, KeyPair keys) {
        Instant now = Instant.now();
        return Jwt.issuer(ISSUER)
                .audience(KeywayClaims.ADMIN_AUDIENCE)
                .subject("owner:" + slug)
                .issuedAt(now.minus(Duration.ofMinutes(20)))
                .expiresAt(now.plus(lifetime))
                .claim(KeywayClaims.ORG_ID, orgId.toString())
                .claim(KeywayClaims.ORG_SLUG, slug)
                .groups(roles)
                .jws().keyId("test-key")
                .sign(keys.getPrivate());
    }

    /** A PEM file holding the public key that verifies {@link #owner} tokens. */
    public static synchronized Path publicKeyFile() {
        if (publicKeyFile == null) {
            try {
                publicKeyFile = Files.createTempFile("keyway-test-admin-key", ".pem");
                publicKeyFile.toFile().deleteOnExit();
                Files.writeString(publicKeyFile, "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(KEYS.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return publicKeyFile;
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
