package dev.keyway.sso.oidc.logout;

import java.text.ParseException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.keyway.sso.oidc.OidcIssuer;
import dev.keyway.sso.signing.SigningKeys;
import io.smallrye.mutiny.Uni;

/**
 * Reads an {@code id_token_hint}: an ID token this issuer signed (RS256 by a published key; {@code none}, HMAC and
 * unknown keys are refused), expired or not, as OpenID Connect RP-Initiated Logout allows.
 */
@ApplicationScoped
public class IdTokenHints {

    /** Who the hint names: the app it was issued to and the Keyway session. */
    public record Hint(String clientId, String sessionId) {
    }

    private final SigningKeys keys;
    private final OidcIssuer issuer;

    public IdTokenHints(SigningKeys keys, OidcIssuer issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    public Uni<Optional<Hint>> read(String idToken) {
        if (idToken == null || idToken.isBlank()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return keys.published().map(published -> {
            try {
                SignedJWT jwt = SignedJWT.parse(idToken);
                if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
                    return Optional.empty();
                }
                var key = published.stream().filter(candidate -> candidate.kid().equals(jwt.getHeader().getKeyID()))
                        .findFirst();
                if (key.isEmpty() || !jwt.verify(new RSASSAVerifier(key.get().publicKey()))) {
                    return Optional.empty();
                }
                JWTClaimsSet claims = jwt.getJWTClaimsSet();
                List<String> audience = claims.getAudience();
                if (!issuer.url().equals(claims.getIssuer()) || audience.size() != 1) {
                    return Optional.empty();
                }
                return Optional.of(new Hint(audience.get(0), claims.getStringClaim("sid")));
            } catch (ParseException | JOSEException | ClassCastException e) {
                return Optional.empty();
            }
        });
    }
}
