package dev.keyway.sso.oidc.authorization;

/**
 * Why an authorization request stops. Before the client and its redirect URI are known to be genuine the user sees a
 * Keyway page (never a redirect to an unchecked URI); afterwards the error goes back to the app (RFC 6749 §4.1.2.1).
 */
public abstract sealed class AuthorizeFailure extends RuntimeException {

    AuthorizeFailure(String message) {
        super(message);
    }

    /** Shown on a Keyway page. */
    public static final class OnPage extends AuthorizeFailure {

        public OnPage(String message) {
            super(message);
        }
    }

    /** Sent to the client's redirect URI with {@code error}, {@code error_description}, {@code state} and {@code iss}. */
    public static final class ToClient extends AuthorizeFailure {

        private final String redirectUri;
        private final String error;
        private final String state;

        public ToClient(String redirectUri, String error, String description, String state) {
            super(description);
            this.redirectUri = redirectUri;
            this.error = error;
            this.state = state;
        }

        public String redirectUri() {
            return redirectUri;
        }

        public String error() {
            return error;
        }

        public String state() {
            return state;
        }
    }
}
