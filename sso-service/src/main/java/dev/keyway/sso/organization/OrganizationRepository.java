package dev.keyway.sso.organization;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.OrganizationState;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The organization table: this region's registry. A row is exactly the {@link OrganizationState} announced on
 * {@code keyway.orgs.v1}, so that record is the one type for it. Queries only; rules and transactions live in
 * {@link OrganizationService} and {@link OwnerTokens}.
 */
@ApplicationScoped
public class OrganizationRepository {

    private static final String COLUMNS = """
            select id, slug, display_name, region, created_at, owner_tokens_not_before, revoked_owner_tokens
            from organization""";
    /** Nothing when the slug (or, never in practice, the id) is taken. */
    private static final String INSERT = """
            insert into organization (id, slug, display_name, region, created_at, updated_at)
            values ($1, $2, $3, $4, $5, $5) on conflict do nothing""";
    private static final String BY_SLUG = COLUMNS + " where slug = $1";
    private static final String LOCK_BY_SLUG = BY_SLUG + " for update";
    private static final String UPDATE_REVOCATIONS = """
            update organization set owner_tokens_not_before = $2, revoked_owner_tokens = $3, updated_at = now()
            where id = $1""";

    /** @return false if the slug is taken */
    public Uni<Boolean> insert(SqlConnection transaction, OrganizationState org) {
        return transaction.preparedQuery(INSERT).execute(Tuple.of(org.id().value(), org.slug().value(),
                org.displayName(), org.region().code(), utc(org.createdAt())))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<OrganizationState>> bySlug(SqlClient client, String slug) {
        return client.preparedQuery(BY_SLUG).execute(Tuple.of(slug)).map(OrganizationRepository::first);
    }

    /** The organization, locked until the transaction ends. */
    public Uni<Optional<OrganizationState>> lockBySlug(SqlConnection transaction, String slug) {
        return transaction.preparedQuery(LOCK_BY_SLUG).execute(Tuple.of(slug)).map(OrganizationRepository::first);
    }

    /** Stores the owner-token revocations of the state. */
    public Uni<Void> updateRevocations(SqlConnection transaction, OrganizationState org) {
        return transaction.preparedQuery(UPDATE_REVOCATIONS).execute(Tuple.of(org.id().value(),
                utc(org.ownerTokensNotBefore()), org.revokedOwnerTokens().toArray(String[]::new)))
                .replaceWithVoid();
    }

    private static Optional<OrganizationState> first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        OffsetDateTime notBefore = row.getOffsetDateTime("owner_tokens_not_before");
        return Optional.of(new OrganizationState(new OrgId(row.getUUID("id")), OrgSlug.of(row.getString("slug")),
                row.getString("display_name"), Region.fromCode(row.getString("region")),
                row.getOffsetDateTime("created_at").toInstant(), notBefore == null ? null : notBefore.toInstant(),
                List.of(row.getArrayOfStrings("revoked_owner_tokens"))));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
