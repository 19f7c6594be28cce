package dev.keyway.scim.receivers;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.runtime.auth.PathBearerTokenMechanism;

/**
 * Reads the bearer token of {@code /events/poll} requests and has {@link PollTokenIdentityProvider} authenticate it.
 * Only that path: a poll token opens nothing else, and the path accepts no owner or operator token.
 */
@ApplicationScoped
public class PollTokenMechanism extends PathBearerTokenMechanism<PollTokenRequest> {

    static final String PATH = "/events/poll";

    public PollTokenMechanism() {
        super(PollTokenRequest.class);
    }

    @Override
    protected boolean appliesTo(String path) {
        return path.equals(PATH);
    }

    @Override
    protected PollTokenRequest request(String token) {
        return new PollTokenRequest(token);
    }
}
