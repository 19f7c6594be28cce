package dev.keyway.common.event;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;

import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;

/**
 * An organization as registered in its home region. No personal data: this is what crosses regions.
 *
 * @param ownerTokensNotBefore owner tokens of this organization issued (iat) before this instant are revoked; null
 *        when the operator never revoked them all (and in events of producers that predate revocation)
 * @param revokedOwnerTokens ids ({@code jti}) of owner tokens revoked one by one that have not expired yet; empty
 *        when none (and in events of producers that predate revocation)
 */
public record OrganizationState(
        OrgId id,
        OrgSlug slug,
        String displayName,
        Region region,
        Instant createdAt,
        Instant ownerTokensNotBefore,
        List<String> revokedOwnerTokens) implements EventPayload {

    @JsonCreator
    public OrganizationState {
        revokedOwnerTokens = revokedOwnerTokens == null ? List.of() : List.copyOf(revokedOwnerTokens);
    }

    /** An organization none of whose owner tokens were ever revoked. */
    public OrganizationState(OrgId id, OrgSlug slug, String displayName, Region region, Instant createdAt) {
        this(id, slug, displayName, region, createdAt, null, List.of());
    }
}
