package dev.keyway.scim.groups;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.scim.protocol.ListQuery;
import dev.keyway.scim.protocol.ScimJson;
import dev.keyway.scim.protocol.filter.FilterQueries;
import dev.keyway.scim.protocol.filter.SqlFilter;
import dev.keyway.scim.protocol.filter.SqlMapping;
import dev.keyway.scim.protocol.schema.ScimSchemas;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/** The groups and memberships tables. Each membership change touches only the rows it changes. */
@ApplicationScoped
public class GroupRepository {

    static final SqlMapping MAPPING = new SqlMapping(ScimSchemas.GROUPS, "g",
            Map.of("id", "g.id::text",
                    "displayName", "g.display_name",
                    "externalId", "g.external_id",
                    "meta.created", "g.created_at",
                    "meta.lastModified", "g.updated_at",
                    "meta.resourceType", "'Group'"),
            Map.of("members", new SqlMapping.Relation("exists (select 1 from group_member gm join scim_user mu on "
                    + "mu.id = gm.user_id where gm.group_id = g.id",
                    Map.of("value", "gm.user_id::text", "display", "coalesce(mu.display_name, mu.user_name)",
                            "type", "'User'"))),
            Map.of());

    private static final String COLUMNS = """
            g.id, g.display_name, g.external_id, g.attributes::text as attributes, g.version, g.created_at,
            g.updated_at""";
    private static final String INSERT = """
            insert into scim_group as g (id, org_id, display_name, external_id, attributes, version, managed_by,
                created_at, updated_at)
            values ($1, $2, $3, $4, $5::text::jsonb, 1, $6, now(), now()) returning\s""" + COLUMNS;
    private static final String UPDATE = """
            update scim_group as g set display_name = $3, external_id = $4, attributes = $5::text::jsonb,
                version = g.version + 1, updated_at = now()
            where g.id = $1 and g.org_id = $2 returning\s""" + COLUMNS;
    private static final String FIND = "select " + COLUMNS
            + " from scim_group g where g.id = $1 and g.org_id = $2 and g.deleted_at is null";
    private static final String DELETE = """
            update scim_group set deleted_at = now(), version = version + 1
            where id = $1 and org_id = $2 and deleted_at is null""";
    private static final String ADD_MEMBERS = """
            insert into group_member (group_id, user_id, source)
            select $1, u.id, $4 from scim_user u where u.id = any($3) and u.org_id = $2 and u.deleted_at is null
            on conflict do nothing returning user_id""";
    private static final String REMOVE_MEMBERS = """
            delete from group_member where group_id = $1 and user_id = any($2) returning user_id""";
    private static final String REMOVE_ALL_MEMBERS = "delete from group_member where group_id = $1 returning user_id";
    private static final String MEMBER_IDS = "select user_id from group_member where group_id = $1";
    private static final String CREATE_IF_ABSENT = """
            insert into scim_group as g (id, org_id, display_name, attributes, version, managed_by, created_at,
                updated_at)
            values ($1, $2, $3, $4::text::jsonb, 1, $5, now(), now())
            on conflict (org_id, lower(display_name)) where deleted_at is null do nothing
            returning\s""" + COLUMNS;
    private static final String BY_NAME = """
            select id from scim_group where org_id = $1 and lower(display_name) = lower($2) and deleted_at is null""";
    private static final String REMOVE_SOURCED_MEMBER = """
            delete from group_member where group_id = $1 and user_id = $2 and source = $3""";
    private static final String TOUCH = "update scim_group set version = version + 1, updated_at = now() where id = $1";
    private static final String MEMBERS = """
            select gm.group_id, u.id, coalesce(u.display_name, u.user_name) as display from group_member gm
            join scim_user u on u.id = gm.user_id where gm.group_id = any($1) order by gm.added_at, u.id""";

    private final Pool pool;
    private final FilterQueries filterQueries;
    private final ObjectMapper json;

    public GroupRepository(Pool pool, FilterQueries filterQueries, ObjectMapper json) {
        this.pool = pool;
        this.filterQueries = filterQueries;
        this.json = json;
    }

    public Uni<Group> insert(SqlConnection transaction, UUID orgId, UUID id, ObjectNode document, String managedBy) {
        return transaction.preparedQuery(INSERT).execute(Tuple.of(id, orgId, document.path("displayName").asText())
                .addValue(externalId(document)).addString(document.toString()).addString(managedBy))
                .map(rows -> group(rows.iterator().next()));
    }

    /** Writes the group's attributes and bumps its version (also after a membership-only change). */
    public Uni<Group> update(SqlConnection transaction, UUID orgId, UUID id, ObjectNode document) {
        return transaction.preparedQuery(UPDATE).execute(Tuple.of(id, orgId, document.path("displayName").asText())
                .addValue(externalId(document)).addString(document.toString()))
                .map(rows -> group(rows.iterator().next()));
    }

    public Uni<Group> lock(SqlConnection transaction, UUID orgId, UUID id) {
        return transaction.preparedQuery(FIND + " for update").execute(Tuple.of(id, orgId))
                .map(rows -> rows.size() == 0 ? null : group(rows.iterator().next()));
    }

    public Uni<Group> find(UUID orgId, UUID id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(id, orgId))
                .map(rows -> rows.size() == 0 ? null : group(rows.iterator().next()));
    }

    /** Soft-deletes the group and drops its memberships; the former members. */
    public Uni<Set<UUID>> delete(SqlConnection transaction, UUID orgId, UUID id) {
        return transaction.preparedQuery(DELETE).execute(Tuple.of(id, orgId))
                .chain(() -> transaction.preparedQuery(REMOVE_ALL_MEMBERS).execute(Tuple.of(id)))
                .map(GroupRepository::userIds);
    }

    /** Adds the users of this organization among {@code userIds} (others are ignored); those newly added. */
    public Uni<Set<UUID>> addMembers(SqlConnection transaction, UUID orgId, UUID groupId, Collection<UUID> userIds,
            String source) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return transaction.preparedQuery(ADD_MEMBERS)
                .execute(Tuple.of(groupId, orgId, userIds.toArray(UUID[]::new), source))
                .map(GroupRepository::userIds);
    }

    /** Removes these members; those that were members. */
    public Uni<Set<UUID>> removeMembers(SqlConnection transaction, UUID groupId, Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return transaction.preparedQuery(REMOVE_MEMBERS).execute(Tuple.of(groupId, userIds.toArray(UUID[]::new)))
                .map(GroupRepository::userIds);
    }

    public Uni<Set<UUID>> removeAllMembers(SqlConnection transaction, UUID groupId) {
        return transaction.preparedQuery(REMOVE_ALL_MEMBERS).execute(Tuple.of(groupId))
                .map(GroupRepository::userIds);
    }

    /**
     * The group of that display name, created (and passed to {@code onCreated}) if there is none: how imports find
     * the Keyway group a JumpCloud group lands in.
     */
    public Uni<UUID> findOrCreate(SqlConnection transaction, UUID orgId, String displayName, String managedBy,
            Function<Group, Uni<Void>> onCreated) {
        String document = ScimJson.object().put("displayName", displayName).toString();
        return transaction.preparedQuery(CREATE_IF_ABSENT)
                .execute(Tuple.of(UUID.randomUUID(), orgId, displayName, document, managedBy))
                .chain(created -> {
                    if (created.size() == 1) {
                        Group group = group(created.iterator().next());
                        return onCreated.apply(group).replaceWith(group.id());
                    }
                    return transaction.preparedQuery(BY_NAME).execute(Tuple.of(orgId, displayName))
                            .map(rows -> rows.iterator().next().getUUID("id"));
                });
    }

    /** Removes a membership only if it came from {@code source} (an import never removes SCIM's memberships). */
    public Uni<Void> removeSourcedMember(SqlConnection transaction, UUID groupId, UUID userId, String source) {
        return transaction.preparedQuery(REMOVE_SOURCED_MEMBER).execute(Tuple.of(groupId, userId, source))
                .chain(removed -> removed.rowCount() == 0 ? Uni.createFrom().voidItem() : touch(transaction, groupId));
    }

    /** A new version (ETag) for a group whose members changed outside a write to the group itself. */
    public Uni<Void> touch(SqlConnection transaction, UUID groupId) {
        return transaction.preparedQuery(TOUCH).execute(Tuple.of(groupId)).replaceWithVoid();
    }

    public Uni<Set<UUID>> memberIds(SqlConnection transaction, UUID groupId) {
        return transaction.preparedQuery(MEMBER_IDS).execute(Tuple.of(groupId)).map(GroupRepository::userIds);
    }

    /** The members of each of these groups. */
    public Uni<Map<UUID, List<Group.Member>>> members(SqlClient client, Collection<UUID> groupIds) {
        if (groupIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery(MEMBERS).execute(Tuple.of((Object) groupIds.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, List<Group.Member>> members = new HashMap<>();
            for (Row row : rows) {
                members.computeIfAbsent(row.getUUID("group_id"), key -> new ArrayList<>())
                        .add(new Group.Member(row.getUUID("id"), row.getString("display")));
            }
            return members;
        });
    }

    public Uni<Page> list(UUID orgId, ListQuery query) {
        List<Object> parameters = new ArrayList<>(List.of(orgId));
        String where = "g.org_id = $1 and g.deleted_at is null"
                + (query.filter() == null ? "" : " and " + SqlFilter.translate(MAPPING, query.filter(), parameters));
        int filterParameters = parameters.size();
        boolean cursor = query.cursorPaging();
        String page = "";
        if (cursor && query.after() != null) {
            parameters.add(query.after());
            page = " and g.id > $" + parameters.size();
        }
        String order = cursor ? "g.id"
                : (query.sortBy() == null ? ""
                        : SqlFilter.sortExpression(MAPPING, query.sortBy()) + (query.descending() ? " desc" : " asc")
                                + " nulls last, ")
                        + "g.created_at, g.id";
        // a cursor page reads one row more than it shows: whether there is a next page
        parameters.add(cursor ? query.count() + 1 : query.count());
        parameters.add(cursor ? 0 : query.startIndex() - 1);
        String total = cursor ? "(select count(*) from scim_group g where " + where + ")" : "count(*) over ()";
        String sql = "select " + COLUMNS + ", " + total + " as total from scim_group g where " + where + page
                + " order by " + order + " limit $" + (parameters.size() - 1) + " offset $" + parameters.size();
        return filterQueries.run(connection -> connection.preparedQuery(sql).execute(Tuple.from(parameters))
                .chain(rows -> {
                    List<Group> groups = new ArrayList<>(rows.size());
                    long count = 0;
                    for (Row row : rows) {
                        groups.add(group(row));
                        count = row.getLong("total");
                    }
                    UUID next = null;
                    if (cursor && groups.size() > query.count()) {
                        groups = new ArrayList<>(groups.subList(0, query.count()));
                        next = query.count() == 0 ? query.after() : groups.get(groups.size() - 1).id();
                    }
                    if (!groups.isEmpty() || !cursor && query.startIndex() == 1 && query.count() > 0) {
                        return Uni.createFrom().item(new Page(groups, count, next));
                    }
                    // an empty page past the end (or count=0) still reports the total
                    List<Group> found = groups;
                    UUID following = next;
                    return connection.preparedQuery("select count(*) from scim_group g where " + where)
                            .execute(Tuple.from(parameters.subList(0, filterParameters)))
                            .map(all -> new Page(found, all.iterator().next().getLong(0), following));
                }));
    }

    /** A page of groups and the number of all matches. */
    public record Page(List<Group> groups, long total, UUID next) {
    }

    public static boolean isDisplayNameTaken(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && "scim_group_display_name".equals(pg.getConstraint());
    }

    private static String externalId(ObjectNode document) {
        return document.hasNonNull("externalId") ? document.get("externalId").asText() : null;
    }

    private static Set<UUID> userIds(RowSet<Row> rows) {
        Set<UUID> ids = new HashSet<>();
        StreamSupport.stream(rows.spliterator(), false).forEach(row -> ids.add(row.getUUID("user_id")));
        return ids;
    }

    Group group(Row row) {
        try {
            return new Group(row.getUUID("id"), row.getString("display_name"), row.getString("external_id"),
                    (ObjectNode) json.readTree(row.getString("attributes")), row.getLong("version"),
                    row.getOffsetDateTime("created_at").withOffsetSameInstant(ZoneOffset.UTC).toInstant(),
                    row.getOffsetDateTime("updated_at").withOffsetSameInstant(ZoneOffset.UTC).toInstant());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored group " + row.getUUID("id") + " is not JSON", e);
        }
    }
}
