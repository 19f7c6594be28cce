package dev.keyway.sso.oidc.client;

import java.util.List;

/**
 * A registered app (relying party).
 *
 * @param allowedOrganizations slugs of the organizations whose users the app may sign in; null = every organization
 */
public record OidcClient(String clientId, String name, AuthMethod authMethod, byte[] secretHash, String jwks,
        List<String> redirectUris, List<String> postLogoutRedirectUris, String backchannelLogoutUri,
        String initiateLoginUri, List<String> allowedOrganizations) {

    /** How the client authenticates at the token endpoint. */
    public enum AuthMethod {

        CLIENT_SECRET_BASIC("client_secret_basic"),
        CLIENT_SECRET_POST("client_secret_post"),
        PRIVATE_KEY_JWT("private_key_jwt");

        private final String wire;

        AuthMethod(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public boolean usesSecret() {
            return this != PRIVATE_KEY_JWT;
        }

        public static AuthMethod fromWire(String value) {
            for (AuthMethod method : values()) {
                if (method.wire.equals(value)) {
                    return method;
                }
            }
            throw new IllegalArgumentException(value);
        }
    }

    /** Whether the app may sign in users of this organization. */
    public boolean allows(String orgSlug) {
        return allowedOrganizations == null || allowedOrganizations.contains(orgSlug);
    }

    /** Exact string comparison (OpenID Connect Core 3.1.2.1): no prefix, no normalisation. */
    public boolean registered(String redirectUri) {
        return redirectUri != null && redirectUris.contains(redirectUri);
    }
}
