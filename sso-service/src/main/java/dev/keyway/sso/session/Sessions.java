package dev.keyway.sso.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.crypto.SecretKey;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.KeyLengthException;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.keyway.common.auth.KeywayClaims;
import dev.keyway.runtime.crypto.SecretBox;
import dev.keyway.runtime.outbox.Batches;
import dev.keyway.sso.signing.SigningKeys;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Login sessions: a short-lived JWT (audience {@code keyway-session}, so it never passes as an owner token) and a row
 * that lets a session be refused before the JWT expires, from the moment the user is deactivated or deleted. The ACS
 * writes the row in its one statement after validation ({@code SignInRepository}) and then asks for the JWT here.
 *
 * <p>Only this service reads a session's JWT (apps ask {@code GET /session}, or use OpenID Connect), so it is signed
 * with HS256 under a key only sso-service holds ({@link SecretBox#macKeys}), as Keycloak signs its identity cookie
 * with HMAC: RS256 cost about a millisecond of CPU per sign-in, two thirds of the service's CPU at the ACS's maximum
 * rate, and HMAC a few microseconds. Tokens others verify (owner tokens, ID tokens, SETs) stay RS256. Nimbus JOSE
 * signs them: SmallRye's builder allocated 51 KB per token (jose4j's Base64 takes an 8 KB buffer per part), Nimbus
 * 11 KB, and each sign-in's garbage brings the next collection, which stops the service, nearer.
 */
@ApplicationScoped
public class Sessions {

    /** The session cookie (HttpOnly, Secure, SameSite=Lax). */
    public static final String COOKIE = "keyway_session";

    /** How the IdP authenticated the user (SAML AuthnContextClassRef), as OpenID Connect names it. */
    public static final String ACR = "acr";

    /**
     * Who signed in, as the session's claims will say; {@code authnContext} is the IdP's AuthnContextClassRef (the
     * {@code acr} claim), null if it named none.
     */
    public record Subject(UUID userId, UUID orgId, String orgSlug, String region, String email, String givenName,
            String familyName, List<String> groups, String authnContext) {
    }

    /** A new session: its id, the JWT and when it ends. */
    public record Issued(UUID id, String token, Instant expiresAt) {
    }

    /** Why a session presented to GET /session is refused. */
    public static final class Refused extends RuntimeException {

        Refused(String reason) {
            super(reason);
        }
    }

    /** Session keys are named after the encryption key they come from; a signing key's id is a UUID. */
    private static final String KID_PREFIX = "session-";

    private static final String STATE = """
            select s.revoked_at, s.revoked_reason, s.expires_at, u.active from session s
            left join login_user u on u.user_id = s.user_id where s.id = $1""";
    private static final String REVOKE_USER = """
            update session set revoked_at = now(), revoked_reason = $2 where user_id = $1 and revoked_at is null""";
    private static final String TRANSFER = "update session set user_id = $2 where user_id = any($1)";
    private static final String REVOKE = """
            update session set revoked_at = now(), revoked_reason = 'signed-out' where id = $1 and revoked_at is null""";

    private final Pool pool;
    private final SigningKeys keys;
    private final String issuer;
    /** What new sessions are signed with, and the header naming its key; null without {@code keyway.encryption.keys}. */
    private final JWSSigner signer;
    private final JWSHeader header;
    /** A parser for each key a session may be signed with (HS256 only, this issuer and audience), by key id. */
    private final Map<String, DefaultJWTParser> parsers = new HashMap<>();

    public Sessions(Pool pool, SigningKeys keys, SecretBox secrets,
            @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer) {
        this.pool = pool;
        this.keys = keys;
        this.issuer = issuer;
        Map<String, SecretKey> macKeys = secrets.macKeys("session");
        macKeys.forEach((id, key) -> parsers.put(KID_PREFIX + id, parser(key, issuer)));
        if (macKeys.isEmpty()) {
            this.signer = null;
            this.header = null;
        } else {
            Map.Entry<String, SecretKey> signing = macKeys.entrySet().iterator().next();
            this.header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT)
                    .keyID(KID_PREFIX + signing.getKey()).build();
            try {
                this.signer = new MACSigner(signing.getValue());
            } catch (KeyLengthException e) {
                throw new IllegalStateException("a session key must have 256 bits", e);
            }
        }
    }

    /** The JWT of a session whose row the sign-in has written ({@code id}, ending at {@code expiresAt}). */
    public Issued sign(Subject subject, UUID id, Instant issuedAt, Instant expiresAt) {
        if (signer == null) {
            throw new IllegalStateException("keyway.encryption.keys is not configured: no session can be signed");
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(KeywayClaims.SESSION_AUDIENCE)
                .subject(subject.userId().toString())
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiresAt))
                .claim(KeywayClaims.SESSION_ID, id.toString())
                .claim(KeywayClaims.ORG_ID, subject.orgId().toString())
                .claim(KeywayClaims.ORG_SLUG, subject.orgSlug())
                .claim(KeywayClaims.REGION, subject.region())
                .claim(KeywayClaims.EMAIL, subject.email())
                .claim(KeywayClaims.GIVEN_NAME, subject.givenName() == null ? "" : subject.givenName())
                .claim(KeywayClaims.FAMILY_NAME, subject.familyName() == null ? "" : subject.familyName())
                .claim(KeywayClaims.DIRECTORY_GROUPS, subject.groups());
        if (subject.authnContext() != null) {
            claims.claim(ACR, subject.authnContext());
        }
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
        return new Issued(id, jwt.serialize(), expiresAt);
    }

    /** The claims of a valid, unrevoked session of an active user; {@link Refused} otherwise. */
    public Uni<JsonWebToken> verify(String token) {
        JsonWebToken jwt;
        UUID id;
        try {
            DefaultJWTParser parser = parsers.get(JsonWebStructure.fromCompactSerialization(token)
                    .getKeyIdHeaderValue());
            // a session signed before sessions were HS256 (RS256, by a published signing key) holds until it ends
            jwt = parser != null ? parser.parse(token) : keys.verify(token, KeywayClaims.SESSION_AUDIENCE);
            id = UUID.fromString(jwt.getClaim(KeywayClaims.SESSION_ID));
        } catch (JoseException | ParseException | IllegalArgumentException | NullPointerException e) {
            return Uni.createFrom().failure(new Refused("invalid-token"));
        }
        return pool.preparedQuery(STATE).execute(Tuple.of(id)).map(rows -> {
            Row state = rows.size() == 0 ? null : rows.iterator().next();
            if (state == null) {
                throw new Refused("unknown-session");
            }
            if (state.getOffsetDateTime("revoked_at") != null) {
                throw new Refused(state.getString("revoked_reason"));
            }
            if (!Boolean.TRUE.equals(state.getBoolean("active"))) {
                throw new Refused("user-inactive");
            }
            return jwt;
        });
    }

    private static DefaultJWTParser parser(SecretKey key, String issuer) {
        JWTAuthContextInfo verification = new JWTAuthContextInfo(key, issuer);
        verification.setExpectedAudience(Set.of(KeywayClaims.SESSION_AUDIENCE));
        verification.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
        return new DefaultJWTParser(verification, new DefaultJWTCallerPrincipalFactory());
    }

    /**
     * Ends the live sessions of users inside the transaction that recorded why, in one round trip; {@code reasons}
     * pairs with {@code userIds}.
     */
    public Uni<Void> revokeUsers(SqlConnection transaction, List<UUID> userIds, List<String> reasons) {
        List<Tuple> rows = new ArrayList<>(userIds.size());
        for (int i = 0; i < userIds.size(); i++) {
            rows.add(Tuple.of(userIds.get(i), reasons.get(i)));
        }
        return Batches.execute(transaction, REVOKE_USER, rows);
    }

    /**
     * Hands the sessions of users that no longer exist on their own (a just-in-time user the directory took over)
     * to the user who stands for them now, so that user's deactivation ends them too.
     */
    public Uni<Void> transfer(SqlConnection transaction, List<UUID> fromUserIds, UUID toUserId) {
        if (fromUserIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return transaction.preparedQuery(TRANSFER).execute(Tuple.of(fromUserIds.toArray(UUID[]::new), toUserId))
                .replaceWithVoid();
    }

    public Uni<Void> revoke(UUID sessionId) {
        return pool.preparedQuery(REVOKE).execute(Tuple.of(sessionId)).replaceWithVoid();
    }
}
