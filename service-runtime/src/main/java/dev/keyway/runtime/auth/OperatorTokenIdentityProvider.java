package dev.keyway.runtime.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Recognises the operator token ({@code keyway.operator-token}) among the bearer tokens SmallRye JWT's mechanism
 * reads, and grants the {@link Roles#OPERATOR} role. It runs ahead of the JWT validator; any other value is left to
 * it (a null identity passes the request on), so an owner token is verified as a JWT and anything else fails there.
 */
@ApplicationScoped
public class OperatorTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final Optional<byte[]> operatorToken;

    public OperatorTokenIdentityProvider(
            @ConfigProperty(name = "keyway.operator-token") Optional<String> operatorToken) {
        this.operatorToken = operatorToken.filter(token -> !token.isBlank())
                .map(token -> token.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        byte[] presented = request.getToken().getToken().trim().getBytes(StandardCharsets.UTF_8);
        if (operatorToken.isEmpty() || !MessageDigest.isEqual(presented, operatorToken.get())) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(Roles.OPERATOR))
                .addRole(Roles.OPERATOR)
                .build());
    }

    /** Ahead of SmallRye JWT's validator, which fails every token it cannot verify. */
    @Override
    public int priority() {
        return SYSTEM_FIRST + 1000;
    }
}
