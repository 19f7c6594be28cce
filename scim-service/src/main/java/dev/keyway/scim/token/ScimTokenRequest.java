package dev.keyway.scim.token;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A SCIM bearer value to authenticate: a token, or an API key and a token joined by a colon (the form some vendors
 * document).
 */
public final class ScimTokenRequest extends BaseAuthenticationRequest {

    private final String apiKey;
    private final String token;

    private ScimTokenRequest(String apiKey, String token) {
        this.apiKey = apiKey;
        this.token = token;
    }

    static ScimTokenRequest parse(String bearer) {
        int colon = bearer.indexOf(':');
        return colon < 0 ? new ScimTokenRequest(null, bearer)
                : new ScimTokenRequest(bearer.substring(0, colon).trim(), bearer.substring(colon + 1).trim());
    }

    /** Null unless the client sent {@code <apiKey>:<token>}. */
    String apiKey() {
        return apiKey;
    }

    String token() {
        return token;
    }
}
