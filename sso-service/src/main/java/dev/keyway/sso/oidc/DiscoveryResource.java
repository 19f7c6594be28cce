package dev.keyway.sso.oidc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.keyway.common.auth.KeywayClaims;
import dev.keyway.runtime.deployment.Deployment;

/** OpenID Connect Discovery 1.0: what an app's OIDC library reads to configure itself from the issuer alone. */
@Path(OidcIssuer.PATH + "/.well-known/openid-configuration")
@Tag(name = "OpenID Connect")
@PermitAll
public class DiscoveryResource {

    private final OidcIssuer issuer;
    private final Deployment deployment;

    public DiscoveryResource(OidcIssuer issuer, Deployment deployment) {
        this.issuer = issuer;
        this.deployment = deployment;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The provider's metadata: endpoints, keys, what it supports")
    public Map<String, Object> configuration() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer.url());
        metadata.put("authorization_endpoint", issuer.endpoint("/authorize"));
        metadata.put("token_endpoint", issuer.endpoint("/token"));
        metadata.put("userinfo_endpoint", issuer.endpoint("/userinfo"));
        metadata.put("jwks_uri", deployment.ownUrl() + "/.well-known/jwks.json");
        metadata.put("end_session_endpoint", issuer.endpoint("/logout"));
        metadata.put("scopes_supported", List.of("openid", "profile", "email"));
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("response_modes_supported", List.of("query"));
        metadata.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        metadata.put("subject_types_supported", List.of("public"));
        metadata.put("id_token_signing_alg_values_supported", List.of("RS256"));
        metadata.put("token_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "private_key_jwt"));
        metadata.put("token_endpoint_auth_signing_alg_values_supported",
                List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"));
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        metadata.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "sid",
                "at_hash", "azp", "acr", "amr", KeywayClaims.ORG_ID, KeywayClaims.ORG_SLUG, KeywayClaims.REGION,
                KeywayClaims.EMAIL, KeywayClaims.GIVEN_NAME, KeywayClaims.FAMILY_NAME, KeywayClaims.DIRECTORY_GROUPS));
        metadata.put("authorization_response_iss_parameter_supported", true);
        metadata.put("backchannel_logout_supported", true);
        metadata.put("backchannel_logout_session_supported", true);
        metadata.put("request_parameter_supported", false);
        metadata.put("request_uri_parameter_supported", false);
        // not standard: where each region's organizations sign in (an organization homed elsewhere is sent there)
        metadata.put("keyway_region", deployment.region().code());
        Map<String, String> regions = new TreeMap<>();
        deployment.urls().forEach((region, base) -> regions.put(region, base + OidcIssuer.PATH));
        metadata.put("keyway_region_issuers", regions);
        return metadata;
    }
}
