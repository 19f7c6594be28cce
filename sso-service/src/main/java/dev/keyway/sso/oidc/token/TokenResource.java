package dev.keyway.sso.oidc.token;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;

import dev.keyway.sso.oidc.OAuthError;
import dev.keyway.sso.oidc.OidcIssuer;
import dev.keyway.sso.oidc.client.ClientAuthentication;
import dev.keyway.sso.oidc.client.ClientSecrets;
import io.smallrye.mutiny.Uni;

/** The token and userinfo endpoints. Called by apps' back ends; errors in OAuth's JSON. */
@Path(OidcIssuer.PATH)
@Tag(name = "OpenID Connect")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class TokenResource {

    private final ClientAuthentication authentication;
    private final Tokens tokens;
    private final TokenRepository repository;

    public TokenResource(ClientAuthentication authentication, Tokens tokens, TokenRepository repository) {
        this.authentication = authentication;
        this.tokens = tokens;
        this.repository = repository;
    }

    @POST
    @Path("token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Token endpoint: authorization_code (with PKCE code_verifier) and refresh_token grants; "
            + "client_secret_basic, client_secret_post or private_key_jwt")
    public Uni<Response> token(@HeaderParam("Authorization") String authorization,
            @RestForm("grant_type") String grantType, @RestForm String code,
            @RestForm("redirect_uri") String redirectUri, @RestForm("code_verifier") String codeVerifier,
            @RestForm("refresh_token") String refreshToken, @RestForm("client_id") String clientId,
            @RestForm("client_secret") String clientSecret,
            @RestForm("client_assertion_type") String clientAssertionType,
            @RestForm("client_assertion") String clientAssertion) {
        return Uni.createFrom().deferred(() -> authentication.authenticate(new ClientAuthentication.Credentials(
                authorization, clientId, clientSecret, clientAssertionType, clientAssertion)))
                .chain(client -> {
                    if (clientId != null && !clientId.equals(client.clientId())) {
                        throw new OAuthError(OAuthError.INVALID_CLIENT, "Client authentication failed.");
                    }
                    if ("authorization_code".equals(grantType)) {
                        return tokens.exchangeCode(client, code, redirectUri, codeVerifier);
                    }
                    if ("refresh_token".equals(grantType)) {
                        return tokens.refresh(client, refreshToken);
                    }
                    throw new OAuthError(OAuthError.UNSUPPORTED_GRANT_TYPE,
                            "grant_type must be authorization_code or refresh_token.");
                })
                .map(answer -> Response.ok(answer).header("Cache-Control", "no-store").header("Pragma", "no-cache")
                        .build());
    }

    @GET
    @Path("userinfo")
    @Operation(summary = "UserInfo endpoint (Bearer access token): refused at once when the user is deactivated")
    public Uni<Map<String, Object>> userinfo(@HeaderParam("Authorization") String authorization) {
        return userinfoOf(authorization);
    }

    @POST
    @Path("userinfo")
    @Operation(summary = "UserInfo endpoint, by POST")
    public Uni<Map<String, Object>> userinfoByPost(@HeaderParam("Authorization") String authorization) {
        return userinfoOf(authorization);
    }

    private Uni<Map<String, Object>> userinfoOf(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Uni.createFrom().failure(new OAuthError(OAuthError.INVALID_TOKEN, "A Bearer access token is "
                    + "required."));
        }
        String token = authorization.substring(7).trim();
        return repository.byAccessToken(ClientSecrets.hash(token)).map(found -> {
            TokenRepository.Grant grant = found.orElseThrow(() -> new OAuthError(OAuthError.INVALID_TOKEN,
                    "The access token is not valid."));
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("sub", grant.userId().toString());
            claims.putAll(IdTokens.identity(grant));
            return claims;
        });
    }
}
