package dev.keyway.imports.integration;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** An organization's connection to its JumpCloud directory. The API key is sealed and never leaves the service. */
@Entity
@Table(name = "import_integration")
public class Integration extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    @Column(nullable = false)
    public String name;

    /** {@code us} or {@code eu}: which JumpCloud console API the key belongs to. */
    @Column(name = "data_center", nullable = false)
    public String dataCenter;

    /** Set for Multi-Tenant Portal admins only; sent as {@code x-org-id}. */
    @Column(name = "jumpcloud_org_id")
    public String jumpcloudOrgId;

    @Column(name = "api_key_sealed", nullable = false)
    public String apiKeySealed;

    /** The last four characters of the API key, the only part ever shown. */
    @Column(name = "api_key_hint", nullable = false)
    public String apiKeyHint;

    @Column(name = "interval_seconds", nullable = false)
    public int intervalSeconds;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "next_run_at")
    public Instant nextRunAt;
}
