package dev.keyway.scim.token;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.runtime.auth.PathBearerTokenMechanism;

/**
 * Reads the bearer token of every {@code /scim/} request and has {@link ScimTokenIdentityProvider} authenticate it:
 * a SCIM path never accepts an owner or operator token, and an admin path never a SCIM token.
 */
@ApplicationScoped
public class ScimTokenMechanism extends PathBearerTokenMechanism<ScimTokenRequest> {

    public ScimTokenMechanism() {
        super(ScimTokenRequest.class);
    }

    @Override
    protected boolean appliesTo(String path) {
        return path.startsWith("/scim/");
    }

    @Override
    protected ScimTokenRequest request(String token) {
        return ScimTokenRequest.parse(token);
    }
}
