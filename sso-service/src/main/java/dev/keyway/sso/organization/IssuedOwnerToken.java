package dev.keyway.sso.organization;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** An owner token sso-service issued: enough to revoke it by id and to announce that only while it lives. */
@Entity
@Table(name = "owner_token")
public class IssuedOwnerToken extends PanacheEntityBase {

    @Id
    public UUID jti;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
