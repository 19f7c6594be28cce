package dev.keyway.scim.token;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;

/** The organization a SCIM request acts for, as its bearer token named it; set by {@link ScimAuthentication}. */
@RequestScoped
public class ScimCaller {

    /** The authenticated organization and its SCIM settings. */
    public record Tenant(UUID orgId, String slug, Region region, boolean groupsEnabled) {
        public OrgId org() {
            return new OrgId(orgId);
        }
    }

    private Tenant tenant;

    void authenticated(Tenant tenant) {
        this.tenant = tenant;
    }

    public Tenant tenant() {
        if (tenant == null) {
            throw new IllegalStateException("SCIM request without an authenticated organization");
        }
        return tenant;
    }
}
