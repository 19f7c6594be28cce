package dev.keyway.imports.integration;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.imports.jumpcloud.DataCenter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Integrations and their group mappings (schema {@code imports}). Queries only; rules: {@link Integrations}. */
@ApplicationScoped
public class IntegrationRepository {

    private static final String COLUMNS = """
            id, org_id, name, data_center, jumpcloud_org_id, api_key_sealed, api_key_hint, interval_seconds, enabled,
            created_at, updated_at, next_run_at""";
    private static final String INSERT = "insert into import_integration (" + COLUMNS + """
            ) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""";
    private static final String UPDATE = """
            update import_integration set name = $3, data_center = $4, jumpcloud_org_id = $5, api_key_sealed = $6,
                api_key_hint = $7, interval_seconds = $8, enabled = $9, updated_at = $10, next_run_at = $11
            where org_id = $1 and id = $2""";
    private static final String BY_ORG = "select " + COLUMNS
            + " from import_integration where org_id = $1 order by created_at";
    private static final String ONE_OF_ORG = "select " + COLUMNS
            + " from import_integration where org_id = $1 and id = $2";
    private static final String BY_ID = "select " + COLUMNS + " from import_integration where id = $1";
    private static final String DELETE = "delete from import_integration where org_id = $1 and id = $2";
    private static final String MAPPINGS = """
            select integration_id, jumpcloud_group_id, jumpcloud_group_name, target_group from import_group_mapping
            where integration_id = any($1) order by jumpcloud_group_name, jumpcloud_group_id""";
    private static final String INSERT_MAPPING = """
            insert into import_group_mapping (integration_id, jumpcloud_group_id, jumpcloud_group_name, target_group)
            values ($1, $2, $3, $4)""";
    private static final String DELETE_MAPPINGS = "delete from import_group_mapping where integration_id = $1";
    private static final String DUE = """
            select id from import_integration where enabled and next_run_at <= now() order by next_run_at limit $1""";
    private static final String SCHEDULE = "update import_integration set next_run_at = $2 where id = $1 returning id";

    private final Pool pool;

    public IntegrationRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(SqlConnection transaction, Integration integration) {
        return transaction.preparedQuery(INSERT).execute(Tuple.from(Arrays.asList(integration.id(), integration.orgId(),
                integration.name(), integration.dataCenter().code(), integration.jumpcloudOrgId(),
                integration.apiKeySealed(), integration.apiKeyHint(), (int) integration.interval().toSeconds(),
                integration.enabled(), at(integration.createdAt()), at(integration.updatedAt()),
                at(integration.nextRunAt()))))
                .chain(() -> insertMappings(transaction, integration));
    }

    public Uni<Void> update(SqlConnection transaction, Integration integration) {
        return transaction.preparedQuery(UPDATE).execute(Tuple.from(Arrays.asList(integration.orgId(), integration.id(),
                integration.name(), integration.dataCenter().code(), integration.jumpcloudOrgId(),
                integration.apiKeySealed(), integration.apiKeyHint(), (int) integration.interval().toSeconds(),
                integration.enabled(), at(integration.updatedAt()), at(integration.nextRunAt()))))
                .chain(() -> transaction.preparedQuery(DELETE_MAPPINGS).execute(Tuple.of(integration.id())))
                .chain(() -> insertMappings(transaction, integration));
    }

    public Uni<List<Integration>> listOf(UUID orgId) {
        return withMappings(pool, pool.preparedQuery(BY_ORG).execute(Tuple.of(orgId)));
    }

    /** Null unless the integration exists and belongs to the organization. */
    public Uni<Integration> find(SqlClient client, UUID orgId, UUID id) {
        return withMappings(client, client.preparedQuery(ONE_OF_ORG).execute(Tuple.of(orgId, id)))
                .map(found -> found.isEmpty() ? null : found.get(0));
    }

    public Uni<Integration> find(UUID orgId, UUID id) {
        return find(pool, orgId, id);
    }

    /** For the runner, which knows the id only; null if it was deleted. */
    public Uni<Integration> byId(UUID id) {
        return withMappings(pool, pool.preparedQuery(BY_ID).execute(Tuple.of(id)))
                .map(found -> found.isEmpty() ? null : found.get(0));
    }

    public Uni<Boolean> delete(UUID orgId, UUID id) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(orgId, id)).map(rows -> rows.rowCount() == 1);
    }

    /** Enabled integrations whose next run is due, most overdue first. */
    public Uni<List<UUID>> due(int limit) {
        return pool.preparedQuery(DUE).execute(Tuple.of(limit))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getUUID("id")));
                    return ids;
                });
    }

    /** @return false if the integration no longer exists */
    public Uni<Boolean> schedule(SqlClient client, UUID id, Instant nextRunAt) {
        return client.preparedQuery(SCHEDULE).execute(Tuple.of(id, at(nextRunAt))).map(rows -> rows.rowCount() == 1);
    }

    private Uni<Void> insertMappings(SqlConnection transaction, Integration integration) {
        if (integration.groups().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return transaction.preparedQuery(INSERT_MAPPING).executeBatch(integration.groups().stream()
                .map(group -> Tuple.of(integration.id(), group.jumpcloudGroupId(), group.jumpcloudGroupName(),
                        group.targetGroup()))
                .toList())
                .replaceWithVoid();
    }

    private static Uni<List<Integration>> withMappings(SqlClient client, Uni<RowSet<Row>> integrations) {
        return integrations.chain(rows -> {
            List<Row> found = new ArrayList<>();
            rows.forEach(found::add);
            if (found.isEmpty()) {
                return Uni.createFrom().item(List.<Integration>of());
            }
            UUID[] ids = found.stream().map(row -> row.getUUID("id")).toArray(UUID[]::new);
            return client.preparedQuery(MAPPINGS).execute(Tuple.of(ids)).map(mappingRows -> {
                Map<UUID, List<GroupMapping>> groups = new HashMap<>();
                mappingRows.forEach(row -> groups
                        .computeIfAbsent(row.getUUID("integration_id"), id -> new ArrayList<>())
                        .add(new GroupMapping(row.getString("jumpcloud_group_id"),
                                row.getString("jumpcloud_group_name"), row.getString("target_group"))));
                return found.stream().map(row -> integration(row, groups.getOrDefault(row.getUUID("id"), List.of())))
                        .toList();
            });
        });
    }

    private static Integration integration(Row row, List<GroupMapping> groups) {
        return new Integration(row.getUUID("id"), row.getUUID("org_id"), row.getString("name"),
                DataCenter.fromCode(row.getString("data_center")), row.getString("jumpcloud_org_id"),
                row.getString("api_key_sealed"), row.getString("api_key_hint"),
                Duration.ofSeconds(row.getInteger("interval_seconds")), row.getBoolean("enabled"), groups,
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("updated_at")),
                instant(row.getOffsetDateTime("next_run_at")));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
