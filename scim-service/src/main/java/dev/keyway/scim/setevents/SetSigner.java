package dev.keyway.scim.setevents;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.keyway.runtime.crypto.SecretBox;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Signs SETs (JWS RS256, {@code typ: secevent+jwt}) with scim-service's own key, created on first use and kept in the
 * database with its private half sealed ({@link SecretBox}); publishes the public halves as a JWKS. RSA work runs on
 * the worker pool, never on the event loop.
 */
@ApplicationScoped
public class SetSigner {

    private static final Logger LOG = Logger.getLogger(SetSigner.class);
    public static final JOSEObjectType SECEVENT_JWT = new JOSEObjectType("secevent+jwt");

    private static final String CURRENT = "select kid, private_key from set_signing_key where retired_at is null";
    private static final String INSERT = """
            insert into set_signing_key (kid, public_jwk, private_key) values ($1, $2, $3) on conflict do nothing""";
    private static final String PUBLISHED = "select public_jwk from set_signing_key order by created_at";

    private final Pool pool;
    private final SecretBox secrets;
    private volatile Signer signer;

    private record Signer(RSAKey key, RSASSASigner signer) {
    }

    public SetSigner(Pool pool, SecretBox secrets) {
        this.pool = pool;
        this.secrets = secrets;
    }

    /** The compact JWS of these claims, signed with the current key. */
    public Uni<String> sign(Map<String, Object> claims) {
        return current().chain(current -> Uni.createFrom().item(() -> {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(SECEVENT_JWT)
                        .keyID(current.key().getKeyID()).build(), JWTClaimsSet.parse(claims));
                jwt.sign(current.signer());
                return jwt.serialize();
            } catch (JOSEException | ParseException e) {
                throw new IllegalStateException("SET not signed", e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    /** Every key SETs in the log may be signed with, public halves only. */
    public Uni<String> jwks() {
        return pool.query(PUBLISHED).execute().chain(rows -> {
            if (rows.size() == 0) {
                return current().chain(created -> jwks());
            }
            List<JWK> keys = new ArrayList<>();
            for (Row row : rows) {
                keys.add(parse(row.getString("public_jwk")));
            }
            return Uni.createFrom().item(new JWKSet(keys).toString(true));
        });
    }

    private Uni<Signer> current() {
        Signer loaded = signer;
        if (loaded != null) {
            return Uni.createFrom().item(loaded);
        }
        return load().chain(found -> found != null ? Uni.createFrom().item(found)
                : create().chain(this::load).onItem().ifNull()
                        .failWith(() -> new IllegalStateException("no SET signing key")))
                .invoke(found -> signer = found);
    }

    private Uni<Signer> load() {
        return pool.query(CURRENT).execute().map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            String kid = row.getString("kid");
            RSAKey key = (RSAKey) parse(secrets.openString(row.getString("private_key"), context(kid)));
            try {
                return new Signer(key, new RSASSASigner(key));
            } catch (JOSEException e) {
                throw new IllegalStateException("SET signing key unusable", e);
            }
        });
    }

    /** A new key; when replicas race, the unique index keeps the first and the others load it. */
    private Uni<Void> create() {
        return Uni.createFrom().item(() -> {
            try {
                return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS256).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException("SET signing key not generated", e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(key -> pool.preparedQuery(INSERT).execute(Tuple.of(key.getKeyID(),
                        key.toPublicJWK().toJSONString(), secrets.seal(key.toJSONString(), context(key.getKeyID()))))
                        .invoke(rows -> {
                            if (rows.rowCount() == 1) {
                                LOG.infof("Created SET signing key %s", key.getKeyID());
                            }
                        }))
                .replaceWithVoid();
    }

    private static JWK parse(String json) {
        try {
            return JWK.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("stored JWK is not readable", e);
        }
    }

    private static String context(String kid) {
        return "set-signing-key:" + kid;
    }
}
