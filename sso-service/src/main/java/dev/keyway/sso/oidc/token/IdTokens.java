package dev.keyway.sso.oidc.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.auth.KeywayClaims;
import dev.keyway.sso.oidc.OidcConfig;
import dev.keyway.sso.oidc.OidcIssuer;
import dev.keyway.sso.session.Sessions;
import dev.keyway.sso.signing.SigningKeys;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;

/**
 * ID tokens, signed RS256 with sso-service's signing keys (the JWKS at {@code /.well-known/jwks.json}): {@code sub}
 * is the user's stable id, {@code sid} the Keyway session, {@code at_hash} binds the access token; the organization
 * ({@code org_id}, {@code org_slug}, {@code region}) and {@code acr} come from the sign-in; e-mail, names and directory
 * groups from the sign-in in the first ID token, and from the directory as it is now in a refreshed one.
 */
@ApplicationScoped
public class IdTokens {

    private final SigningKeys keys;
    private final OidcIssuer issuer;
    private final OidcConfig config;

    public IdTokens(SigningKeys keys, OidcIssuer issuer, OidcConfig config) {
        this.keys = keys;
        this.issuer = issuer;
        this.config = config;
    }

    public Uni<String> issue(TokenRepository.Grant grant, String nonce, String accessToken) {
        Instant now = Instant.now();
        return keys.signer().map(key -> {
            JwtClaimsBuilder claims = Jwt.issuer(issuer.url())
                    .audience(grant.clientId())
                    .subject(grant.userId().toString())
                    .issuedAt(now)
                    .expiresAt(now.plus(config.idTokenLifetime()))
                    .claim("auth_time", grant.authTime().getEpochSecond())
                    .claim("azp", grant.clientId())
                    .claim(KeywayClaims.SESSION_ID, grant.sessionId().toString())
                    .claim("at_hash", atHash(accessToken));
            if (nonce != null) {
                claims.claim("nonce", nonce);
            }
            identity(grant).forEach(claims::claim);
            String acr = grant.claims().getString(Sessions.ACR);
            if (acr != null) {
                claims.claim(Sessions.ACR, acr);
                List<String> amr = amr(acr);
                if (!amr.isEmpty()) {
                    claims.claim("amr", amr);
                }
            }
            return claims.jws().algorithm(SignatureAlgorithm.RS256).keyId(key.kid()).sign(key.privateKey());
        });
    }

    /** The claims the scopes open (userinfo shows the same): profile = names and groups, email = e-mail; org always. */
    static Map<String, Object> identity(TokenRepository.Grant grant) {
        List<String> scopes = Arrays.asList(grant.scope().split(" "));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put(KeywayClaims.ORG_ID, grant.orgId().toString());
        List<String> names = new ArrayList<>(List.of(KeywayClaims.ORG_SLUG, KeywayClaims.REGION));
        if (scopes.contains("email")) {
            names.add(KeywayClaims.EMAIL);
        }
        if (scopes.contains("profile")) {
            names.addAll(List.of(KeywayClaims.GIVEN_NAME, KeywayClaims.FAMILY_NAME));
        }
        for (String name : names) {
            if (grant.claims().getString(name) != null) {
                claims.put(name, grant.claims().getString(name));
            }
        }
        if (scopes.contains("profile")) {
            JsonArray groups = grant.claims().getJsonArray(KeywayClaims.DIRECTORY_GROUPS);
            claims.put(KeywayClaims.DIRECTORY_GROUPS, groups == null ? List.of() : groups.getList());
        }
        return claims;
    }

    /**
     * The authentication methods (RFC 8176) a SAML AuthnContextClassRef stands for, where it names one; empty for
     * classes that say nothing about the method (unspecified).
     */
    static List<String> amr(String classRef) {
        String name = classRef.substring(classRef.lastIndexOf(':') + 1);
        return switch (name) {
            case "Password", "PasswordProtectedTransport" -> List.of("pwd");
            case "SmartcardPKI", "Smartcard" -> List.of("sc");
            case "SoftwarePKI" -> List.of("swk");
            case "TimeSyncToken" -> List.of("otp");
            case "MobileTwoFactorContract", "MobileTwoFactorUnregistered" -> List.of("mfa");
            default -> List.of();
        };
    }

    /** OpenID Connect Core 3.1.3.6: the left half of SHA-256 of the access token, BASE64URL. */
    static String atHash(String accessToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
