package dev.keyway.sso.oidc;

/**
 * An OAuth 2.0 error answered in the protocol's own JSON ({@code error}, {@code error_description}; RFC 6749 §5.2),
 * by the token and userinfo endpoints. Descriptions never name a class or echo a secret.
 */
public class OAuthError extends RuntimeException {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_CLIENT = "invalid_client";
    public static final String INVALID_GRANT = "invalid_grant";
    public static final String UNAUTHORIZED_CLIENT = "unauthorized_client";
    public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";
    public static final String INVALID_TOKEN = "invalid_token";

    private final String error;
    private final int status;

    public OAuthError(String error, String description) {
        this(error, description, error.equals(INVALID_CLIENT) || error.equals(INVALID_TOKEN) ? 401 : 400);
    }

    public OAuthError(String error, String description, int status) {
        super(description);
        this.error = error;
        this.status = status;
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }
}
