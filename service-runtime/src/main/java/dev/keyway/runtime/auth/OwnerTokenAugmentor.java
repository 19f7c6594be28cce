package dev.keyway.runtime.auth;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.keyway.common.auth.KeywayClaims;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.runtime.organization.OwnerTokenRevocations;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Completes the identity of an owner token SmallRye JWT verified: the organization it names becomes the
 * {@link OrganizationAccess#OWNED_ORGANIZATION} attribute, and a token the operator revoked (one token by its
 * {@code jti}, or every token of the organization issued before a moment, as announced by sso-service on
 * {@code keyway.orgs.v1}) fails authentication, so it is answered 401 as an expired one. The operator token is not
 * a JWT and passes untouched.
 */
@ApplicationScoped
public class OwnerTokenAugmentor implements SecurityIdentityAugmentor {

    private final OwnerTokenRevocations revocations;

    public OwnerTokenAugmentor(OwnerTokenRevocations revocations) {
        this.revocations = revocations;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !identity.hasRole(Roles.OWNER)
                || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        OrgId org;
        try {
            org = OrgId.parse(token.getClaim(KeywayClaims.ORG_ID));
        } catch (RuntimeException e) {
            // an owner token must say whose it is, or its revocation could not be checked
            return Uni.createFrom().failure(
                    new AuthenticationFailedException("owner token without " + KeywayClaims.ORG_ID));
        }
        // a token without iat predates every revoke-all
        Instant issuedAt = token.getClaim(Claims.iat.name()) instanceof Number iat
                ? Instant.ofEpochSecond(iat.longValue()) : Instant.EPOCH;
        String slug = token.getClaim(KeywayClaims.ORG_SLUG);
        return revocations.isRevoked(org, issuedAt, token.getTokenID()).map(revoked -> {
            if (revoked) {
                throw new AuthenticationFailedException("owner token revoked");
            }
            return slug == null ? identity : QuarkusSecurityIdentity.builder(identity)
                    .addAttribute(OrganizationAccess.OWNED_ORGANIZATION, slug)
                    .build();
        });
    }
}
