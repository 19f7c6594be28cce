package dev.keyway.scim.receivers;

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
 * Reads the bearer token of {@code /events/poll} requests and has {@link PollTokenIdentityProvider} authenticate it.
 * Only that path: a poll token opens nothing else, and the path accepts no owner or operator token.
 */
@ApplicationScoped
public class PollTokenMechanism implements HttpAuthenticationMechanism {

    static final String PATH = "/events/poll";
    private static final String BEARER = "Bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String authorization = context.request().getHeader("Authorization");
        if (!context.normalizedPath().equals(PATH) || authorization == null
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().optional(Optional.empty());
        }
        PollTokenRequest request = new PollTokenRequest(authorization.substring(BEARER.length()).trim());
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(PollTokenRequest.class);
    }

    /** Ahead of SmallRye JWT's mechanism, which would otherwise read the same bearer token as an owner token. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 200;
    }
}
