package dev.keyway.sso.organization;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.keyway.common.auth.KeywayClaims;
import dev.keyway.sso.signing.SigningKeys;
import io.smallrye.jwt.build.Jwt;

/** Issues owner tokens: RS256 JWTs that open one organization's admin APIs on every service. */
@ApplicationScoped
public class OwnerTokens {

    /** A freshly issued token and the moment it stops working. */
    public record OwnerToken(String token, Instant expiresAt) {
    }

    private final SigningKeys keys;
    private final String issuer;
    private final Duration lifetime;

    public OwnerTokens(SigningKeys keys, @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
            @ConfigProperty(name = "keyway.owner-token.lifetime") Duration lifetime) {
        this.keys = keys;
        this.issuer = issuer;
        this.lifetime = lifetime;
    }

    public OwnerToken issue(Organization org) {
        Instant now = Instant.now();
        Instant expiresAt = now.plus(lifetime);
        SigningKeys.SigningKey key = keys.current();
        String token = Jwt.issuer(issuer)
                .audience(KeywayClaims.ADMIN_AUDIENCE)
                .subject("owner:" + org.slug)
                .issuedAt(now)
                .expiresAt(expiresAt)
                .claim(KeywayClaims.ORG_ID, org.id.toString())
                .claim(KeywayClaims.ORG_SLUG, org.slug)
                .claim(KeywayClaims.REGION, org.region)
                .groups(Set.of(KeywayClaims.OWNER))
                .jws().keyId(key.kid())
                .sign(key.privateKey());
        return new OwnerToken(token, expiresAt);
    }
}
