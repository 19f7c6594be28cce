package dev.keyway.runtime.auth;

import java.util.Optional;
import java.util.Set;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * A bearer token that opens some paths only (a SCIM token, a poll token): read ahead of SmallRye JWT's mechanism, which
 * would otherwise take the same header for an owner token, and only on those paths, so no other kind of token is
 * accepted there and this kind nowhere else. Without a bearer token the caller stays anonymous and the resource's
 * {@code @RolesAllowed} answers 401.
 */
public abstract class PathBearerTokenMechanism<R extends AuthenticationRequest> implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    private final Class<R> requestType;

    protected PathBearerTokenMechanism(Class<R> requestType) {
        this.requestType = requestType;
    }

    /** Whether this token is the one the (normalized) path takes. */
    protected abstract boolean appliesTo(String path);

    /** The authentication request an identity provider checks, for the token after {@code Bearer }. */
    protected abstract R request(String token);

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String authorization = context.request().getHeader("Authorization");
        if (!appliesTo(context.normalizedPath()) || authorization == null
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().optional(Optional.empty());
        }
        R request = request(authorization.substring(BEARER.length()).trim());
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(requestType);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 200;
    }
}
