package dev.keyway.sso.signing;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.keyway.common.auth.KeywayClaims;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * sso-service verifies owner tokens with its own keys, straight from {@link SigningKeys} and following their rotation;
 * the other services fetch the same keys from {@code /.well-known/jwks.json}.
 */
@ApplicationScoped
public class OwnTokenVerification {

    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    JWTParser adminTokenParser(SigningKeys keys) {
        return new DefaultJWTParser() {

            @Override
            public JsonWebToken parse(String token) throws ParseException {
                return keys.verify(token, KeywayClaims.ADMIN_AUDIENCE);
            }
        };
    }
}
