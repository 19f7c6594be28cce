package dev.keyway.runtime.auth;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.keyway.common.auth.KeywayClaims;
import dev.keyway.runtime.problem.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Guards every {@code /admin/**} route of every service: a verified, unrevoked token is required (401 otherwise; see
 * {@link RevokedOwnerTokens}), and an owner token opens only the routes of the organization it names
 * ({@code /admin/orgs/{slug}/...}; 403 otherwise). The operator passes everywhere; finer rules (operator-only routes)
 * are {@code @RolesAllowed} on the resource.
 */
public class AdminAccessFilter {

    private final CurrentIdentityAssociation identities;

    public AdminAccessFilter(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Uni<Response> authorize(UriInfo uri) {
        if (!uri.getPath().startsWith("/admin/")) {
            return Uni.createFrom().nullItem();
        }
        String slug = uri.getPathParameters().getFirst("slug");
        return identities.getDeferredIdentity()
                .map(identity -> decide(identity, slug))
                .onFailure(AuthenticationFailedException.class)
                .recoverWithItem(() -> unauthorized("The bearer token is invalid, expired or revoked."));
    }

    private static Response decide(SecurityIdentity identity, String slug) {
        if (identity.isAnonymous()) {
            return unauthorized("A bearer token is required.");
        }
        if (identity.hasRole(KeywayClaims.OPERATOR)) {
            return null;
        }
        boolean ownerOfThisOrg = identity.hasRole(KeywayClaims.OWNER)
                && slug != null
                && identity.getPrincipal() instanceof JsonWebToken token
                && slug.equals(token.getClaim(KeywayClaims.ORG_SLUG));
        return ownerOfThisOrg ? null
                : Problem.response(Response.Status.FORBIDDEN, "This token does not grant access to this organization.");
    }

    private static Response unauthorized(String detail) {
        return Response.fromResponse(Problem.response(Response.Status.UNAUTHORIZED, detail))
                .header("WWW-Authenticate", "Bearer")
                .build();
    }
}
