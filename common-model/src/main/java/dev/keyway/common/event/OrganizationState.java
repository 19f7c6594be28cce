package dev.keyway.common.event;

import java.time.Instant;

import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;

/** An organization as registered in its home region. No personal data: this is what crosses regions. */
public record OrganizationState(
        OrgId id,
        OrgSlug slug,
        String displayName,
        Region region,
        Instant createdAt) implements EventPayload {
}
