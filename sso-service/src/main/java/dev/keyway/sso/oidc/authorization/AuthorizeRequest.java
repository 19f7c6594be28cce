package dev.keyway.sso.oidc.authorization;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The parameters of an authorization request (OpenID Connect Core 3.1.2.1, RFC 7636), as the browser brought them. */
public record AuthorizeRequest(String clientId, String redirectUri, String responseType, String scope, String state,
        String nonce, String codeChallenge, String codeChallengeMethod, String org, String loginHint, String prompt,
        String request, String requestUri) {

    /** The same request, as query parameters (to repeat it on the e-mail page or in the home region). */
    public Map<String, String> parameters() {
        Map<String, String> all = new LinkedHashMap<>();
        put(all, "client_id", clientId);
        put(all, "redirect_uri", redirectUri);
        put(all, "response_type", responseType);
        put(all, "scope", scope);
        put(all, "state", state);
        put(all, "nonce", nonce);
        put(all, "code_challenge", codeChallenge);
        put(all, "code_challenge_method", codeChallengeMethod);
        put(all, "org", org);
        put(all, "login_hint", loginHint);
        put(all, "prompt", prompt);
        return all;
    }

    public AuthorizeRequest withOrg(String slug) {
        return new AuthorizeRequest(clientId, redirectUri, responseType, scope, state, nonce, codeChallenge,
                codeChallengeMethod, slug, loginHint, prompt, request, requestUri);
    }

    public AuthorizeRequest withLoginHint(String hint) {
        return new AuthorizeRequest(clientId, redirectUri, responseType, scope, state, nonce, codeChallenge,
                codeChallengeMethod, org, hint, prompt, request, requestUri);
    }

    public String query() {
        return parameters().entrySet().stream().map(entry -> entry.getKey() + "="
                + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static void put(Map<String, String> all, String name, String value) {
        if (value != null) {
            all.put(name, value);
        }
    }
}
