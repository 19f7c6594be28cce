package dev.keyway.sso.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;

import dev.keyway.common.crypto.SecretBox;
import io.quarkus.runtime.Startup;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The RS256 keys sso-service signs owner tokens and sessions with. They live in this service's database (private
 * half sealed), so every replica signs and verifies with the same keys and no extra secret is needed; the first
 * replica to start creates one. Loaded once at start-up, before any request needs them.
 */
@Startup
@ApplicationScoped
public class SigningKeys {

    private static final String ACTIVE = """
            select kid, private_key, public_key from signing_key where retired_at is null order by created_at desc""";
    private static final String CREATE_IF_NONE = """
            insert into signing_key (kid, private_key, public_key)
            select $1, $2, $3 where not exists (select 1 from signing_key where retired_at is null)""";

    /** A key pair with the id tokens name in their {@code kid} header. */
    public record SigningKey(String kid, PrivateKey privateKey, RSAPublicKey publicKey) {
    }

    private final List<SigningKey> active;

    public SigningKeys(Pool pool, SecretBox secrets) {
        if (pool.preparedQuery(ACTIVE).executeAndAwait().size() == 0) {
            KeyPair pair = generate();
            String kid = UUID.randomUUID().toString();
            pool.preparedQuery(CREATE_IF_NONE).executeAndAwait(Tuple.of(kid,
                    secrets.seal(pair.getPrivate().getEncoded(), context(kid)),
                    io.vertx.core.buffer.Buffer.buffer(pair.getPublic().getEncoded())));
        }
        List<SigningKey> keys = new ArrayList<>();
        for (Row row : pool.preparedQuery(ACTIVE).executeAndAwait()) {
            String kid = row.getString("kid");
            keys.add(decode(kid, secrets.open(row.getString("private_key"), context(kid)),
                    row.getBuffer("public_key").getBytes()));
        }
        this.active = List.copyOf(keys);
    }

    /** The key new tokens are signed with. */
    public SigningKey current() {
        return active.get(0);
    }

    /** Every key a token may still be signed with, as a JSON Web Key Set. */
    public String jwks() {
        JsonWebKeySet set = new JsonWebKeySet();
        for (SigningKey key : active) {
            RsaJsonWebKey jwk = new RsaJsonWebKey(key.publicKey());
            jwk.setKeyId(key.kid());
            jwk.setUse("sig");
            jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            set.addJsonWebKey(jwk);
        }
        return set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    private static String context(String kid) {
        return "signing-key:" + kid;
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is unavailable", e);
        }
    }

    private static SigningKey decode(String kid, byte[] privateKey, byte[] publicKey) {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            return new SigningKey(kid, rsa.generatePrivate(new PKCS8EncodedKeySpec(privateKey)),
                    (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(publicKey)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + kid + " is unreadable", e);
        }
    }
}
