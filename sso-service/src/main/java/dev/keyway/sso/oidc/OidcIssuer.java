package dev.keyway.sso.oidc;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.deployment.Deployment;

/**
 * The one OpenID Connect issuer of this region: {@code <sso base URL>/oidc}. Every organization of the region signs
 * in through it; the ID token's {@code org_id} and {@code org_slug} say which (see the README for why one issuer).
 */
@ApplicationScoped
public class OidcIssuer {

    public static final String PATH = "/oidc";

    private final Deployment deployment;

    public OidcIssuer(Deployment deployment) {
        this.deployment = deployment;
    }

    public String url() {
        return deployment.ownUrl() + PATH;
    }

    /** The issuer of another region, where its organizations sign in; null if that region's URL is not configured. */
    public String of(Region region) {
        return deployment.urlOf(region).map(base -> base + PATH).orElse(null);
    }

    public String endpoint(String path) {
        return url() + path;
    }
}
