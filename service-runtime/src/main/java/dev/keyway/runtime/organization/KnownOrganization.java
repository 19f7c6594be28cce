package dev.keyway.runtime.organization;

import java.time.Instant;
import java.util.UUID;

import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;

/**
 * An organization as this service knows it from {@code keyway.orgs.v1} (a row of {@code known_organization}); may
 * be homed in another region.
 */
public record KnownOrganization(UUID id, String slug, String displayName, String region, Instant createdAt) {

    public OrgId orgId() {
        return new OrgId(id);
    }

    public OrgSlug orgSlug() {
        return new OrgSlug(slug);
    }

    public Region homeRegion() {
        return Region.fromCode(region);
    }
}
