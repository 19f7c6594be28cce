package dev.keyway.sso.signing;

import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.keyway.common.auth.KeywayClaims;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;

/**
 * sso-service verifies owner tokens with its own keys, straight from {@link SigningKeys}; the other services fetch
 * the same keys from {@code /.well-known/jwks.json}.
 */
@ApplicationScoped
public class OwnTokenVerification {

    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    JWTAuthContextInfo adminTokenVerification(SigningKeys keys, @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer) {
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        info.setPublicKeyContent(keys.jwks());
        info.setIssuedBy(issuer);
        info.setExpectedAudience(Set.of(KeywayClaims.ADMIN_AUDIENCE));
        return info;
    }
}
