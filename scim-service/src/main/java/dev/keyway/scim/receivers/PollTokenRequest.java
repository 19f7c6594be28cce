package dev.keyway.scim.receivers;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The bearer token a poll receiver presents at {@code /events/poll}. */
public class PollTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    public PollTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
