package dev.keyway.sso.organization;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.keyway.common.event.OrganizationState;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A customer organization homed in this region. */
@Entity
@Table(name = "organization")
public class Organization extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String slug;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(nullable = false)
    public String region;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Owner tokens issued before this are revoked (the operator's revoke-all); null if never. */
    @Column(name = "owner_tokens_not_before")
    public Instant ownerTokensNotBefore;

    /** Ids of unexpired owner tokens revoked one by one, as announced; see {@link OwnerTokens}. */
    @Column(name = "revoked_owner_tokens", nullable = false)
    public String[] revokedOwnerTokens = new String[0];

    public OrgId orgId() {
        return new OrgId(id);
    }

    public Region homeRegion() {
        return Region.fromCode(region);
    }

    public OrganizationState state() {
        return new OrganizationState(orgId(), OrgSlug.of(slug), displayName, homeRegion(), createdAt,
                ownerTokensNotBefore, List.of(revokedOwnerTokens));
    }
}
