package dev.keyway.scim.token;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads the bearer token of every {@code /scim/} request and has {@link ScimTokenIdentityProvider} authenticate it.
 * It runs ahead of the owner-token mechanism and answers for SCIM paths alone, so a SCIM path never accepts an owner
 * or operator token, and an admin path never a SCIM token. Without a bearer token the caller stays anonymous and the
 * resource's {@code @RolesAllowed} refuses it with 401.
 */
@ApplicationScoped
public class ScimTokenMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String authorization = context.request().getHeader("Authorization");
        if (!context.normalizedPath().startsWith("/scim/") || authorization == null
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().optional(Optional.empty());
        }
        ScimTokenRequest request = ScimTokenRequest.parse(authorization.substring(BEARER.length()).trim());
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ScimTokenRequest.class);
    }

    /** Ahead of SmallRye JWT's mechanism, which would otherwise read the same bearer token as an owner token. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 200;
    }
}
