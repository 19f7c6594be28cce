package dev.keyway.sso.connection;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.runtime.deployment.Deployment;

/** Our SP's addresses for an organization, as customers paste them into JumpCloud. */
@ApplicationScoped
public class SpEndpoints {

    private final String base;

    public SpEndpoints(Deployment deployment) {
        this.base = deployment.ownUrl() + "/saml/";
    }

    /** The SP entity id (JumpCloud's "SP Entity ID"): the metadata URL, unique per organization. */
    public String entityId(String slug) {
        return metadata(slug);
    }

    /** The ACS URL (JumpCloud's "ACS URL"). */
    public String acs(String slug) {
        return base + slug + "/acs";
    }

    public String metadata(String slug) {
        return base + slug + "/metadata";
    }

    /** Where SP-initiated sign-in starts (JumpCloud's "IdP-Initiated URL" / "Login URL" may point here). */
    public String login(String slug) {
        return base + slug + "/login";
    }
}
