package dev.keyway.runtime.organization;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** An organization as this service knows it from {@code keyway.orgs.v1}; may be homed in another region. */
@Entity
@Table(name = "known_organization")
public class KnownOrganization extends PanacheEntityBase {

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
