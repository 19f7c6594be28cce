package dev.keyway.scim.token;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The organization a SCIM request acts for, as its bearer token named it ({@link ScimTokenIdentityProvider}). Only
 * resources that require the {@code scim-client} role ask for it, so the identity is known by then.
 */
@RequestScoped
public class ScimCaller {

    /** The identity attribute holding the {@link Tenant} of a SCIM client. */
    public static final String TENANT = "keyway.scim.tenant";
    /** The identity attribute holding the id ({@code UUID}) of the SCIM token the request presented. */
    public static final String TOKEN_ID = "keyway.scim.token-id";

    /** The authenticated organization and its SCIM settings. */
    public record Tenant(UUID orgId, String slug, Region region, boolean groupsEnabled) {

        public OrgId org() {
            return new OrgId(orgId);
        }
    }

    private final SecurityIdentity identity;

    public ScimCaller(SecurityIdentity identity) {
        this.identity = identity;
    }

    public Tenant tenant() {
        Tenant tenant = identity.getAttribute(TENANT);
        if (tenant == null) {
            throw new IllegalStateException("SCIM request without an authenticated organization");
        }
        return tenant;
    }
}
