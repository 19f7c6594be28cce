package dev.keyway.scim.users;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.scim.protocol.ListQuery;
import dev.keyway.scim.protocol.filter.FilterQueries;
import dev.keyway.scim.protocol.filter.SqlFilter;
import dev.keyway.scim.protocol.filter.SqlMapping;
import dev.keyway.scim.protocol.schema.ScimSchemas;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/** The users table. Queries only; rules and transactions live in {@link UserService}. */
@ApplicationScoped
public class UserRepository {

    static final SqlMapping MAPPING = new SqlMapping(ScimSchemas.USERS, "u",
            Map.of("id", "u.id::text",
                    "userName", "u.user_name",
                    "externalId", "u.external_id",
                    "active", "u.active",
                    "displayName", "u.display_name",
                    "name.givenName", "u.given_name",
                    "name.familyName", "u.family_name",
                    "meta.created", "u.created_at",
                    "meta.lastModified", "u.updated_at",
                    "meta.resourceType", "'User'"),
            Map.of("groups", new SqlMapping.Relation("exists (select 1 from group_member gm join scim_group g on "
                    + "g.id = gm.group_id and g.deleted_at is null where gm.user_id = u.id",
                    Map.of("value", "gm.group_id::text", "display", "g.display_name", "type", "'direct'"))),
            Map.of("emails.value", "u.emails_lower @> array[%s]::text[]"));

    private static final String COLUMNS = """
            u.id, u.user_name, u.active, u.department_id, u.attributes::text as attributes, u.version, u.managed_by,
            u.created_at, u.updated_at""";
    private static final String INSERT = """
            insert into scim_user as u (id, org_id, user_name, external_id, active, display_name, given_name,
                family_name, email, emails_lower, department_id, attributes, version, managed_by, created_at, updated_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::text::jsonb, 1, $13, now(), now())
            returning u.created_at""";
    private static final String UPDATE = """
            update scim_user as u set user_name = $3, external_id = $4, active = $5, display_name = $6, given_name = $7,
                family_name = $8, email = $9, emails_lower = $10, department_id = $11, attributes = $12::text::jsonb,
                managed_by = $13, version = u.version + 1, updated_at = now()
            where u.id = $1 and u.org_id = $2
            returning\s""" + COLUMNS;
    private static final String FIND = "select " + COLUMNS
            + " from scim_user u where u.id = $1 and u.org_id = $2 and u.deleted_at is null";
    private static final String DELETE = """
            update scim_user set deleted_at = now(), version = version + 1
            where id = $1 and org_id = $2 and deleted_at is null""";
    private static final String LEAVE_GROUPS = "delete from group_member where user_id = $1 returning group_id";
    private static final String TOUCH_GROUPS = """
            update scim_group set version = version + 1, updated_at = now() where id = any($1)""";
    private static final String GROUPS_OF = """
            select gm.user_id, g.id, g.display_name from group_member gm
            join scim_group g on g.id = gm.group_id and g.deleted_at is null
            where gm.user_id = any($1) order by lower(g.display_name)""";

    private final Pool pool;
    private final FilterQueries filterQueries;
    private final ObjectMapper json;

    public UserRepository(Pool pool, FilterQueries filterQueries, ObjectMapper json) {
        this.pool = pool;
        this.filterQueries = filterQueries;
        this.json = json;
    }

    /** Writes a new user; what comes back is the document as written (version 1), nothing read back but the time. */
    public Uni<User> insert(SqlConnection transaction, UUID orgId, UUID id, ObjectNode document, UUID departmentId,
            String managedBy) {
        return transaction.preparedQuery(INSERT).execute(values(id, orgId, document, departmentId, managedBy))
                .map(rows -> {
                    Instant created = rows.iterator().next().getOffsetDateTime("created_at").toInstant();
                    User.Columns columns = User.Columns.of(document);
                    return new User(id, columns.userName(), columns.active(), departmentId, document, 1, managedBy,
                            created, created);
                });
    }

    public Uni<User> update(SqlConnection transaction, UUID orgId, UUID id, ObjectNode document, UUID departmentId,
            String managedBy) {
        return transaction.preparedQuery(UPDATE).execute(values(id, orgId, document, departmentId, managedBy))
                .map(rows -> user(rows.iterator().next()));
    }

    /** The user, locked for the rest of the transaction; null if there is none in this organization. */
    public Uni<User> lock(SqlConnection transaction, UUID orgId, UUID id) {
        return transaction.preparedQuery(FIND + " for update").execute(Tuple.of(id, orgId))
                .map(rows -> rows.size() == 0 ? null : user(rows.iterator().next()));
    }

    public Uni<User> find(UUID orgId, UUID id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(id, orgId))
                .map(rows -> rows.size() == 0 ? null : user(rows.iterator().next()));
    }

    /** Soft-deletes the user (its userName is free again) and drops its memberships; true if it existed. */
    public Uni<Boolean> delete(SqlConnection transaction, UUID orgId, UUID id) {
        return transaction.preparedQuery(DELETE).execute(Tuple.of(id, orgId)).chain(deleted -> {
            if (deleted.rowCount() == 0) {
                return Uni.createFrom().item(false);
            }
            return transaction.preparedQuery(LEAVE_GROUPS).execute(Tuple.of(id))
                    .chain(left -> transaction.preparedQuery(TOUCH_GROUPS).execute(Tuple.of(
                            (Object) StreamSupport.stream(left.spliterator(), false)
                                    .map(row -> row.getUUID("group_id")).toArray(UUID[]::new))))
                    .replaceWith(true);
        });
    }

    /** The groups of each of these users. */
    public Uni<Map<UUID, List<User.GroupRef>>> groupsOf(SqlClient client, Set<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery(GROUPS_OF).execute(Tuple.of((Object) userIds.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, List<User.GroupRef>> groups = new HashMap<>();
            for (Row row : rows) {
                groups.computeIfAbsent(row.getUUID("user_id"), key -> new ArrayList<>())
                        .add(new User.GroupRef(row.getUUID("id"), row.getString("display_name")));
            }
            return groups;
        });
    }

    /** One page of the organization's users matching the query, and how many match in all. */
    public Uni<Page> list(UUID orgId, ListQuery query) {
        List<Object> parameters = new ArrayList<>(List.of(orgId));
        String where = "u.org_id = $1 and u.deleted_at is null"
                + (query.filter() == null ? "" : " and " + SqlFilter.translate(MAPPING, query.filter(), parameters));
        int filterParameters = parameters.size();
        boolean cursor = query.cursorPaging();
        String page = "";
        if (cursor && query.after() != null) {
            parameters.add(query.after());
            page = " and u.id > $" + parameters.size();
        }
        String order = cursor ? "u.id"
                : (query.sortBy() == null ? ""
                        : SqlFilter.sortExpression(MAPPING, query.sortBy()) + (query.descending() ? " desc" : " asc")
                                + " nulls last, ")
                        + "u.created_at, u.id";
        // a cursor page reads one row more than it shows: whether there is a next page
        parameters.add(cursor ? query.count() + 1 : query.count());
        parameters.add(cursor ? 0 : query.startIndex() - 1);
        String total = cursor ? "(select count(*) from scim_user u where " + where + ")" : "count(*) over ()";
        String sql = "select " + COLUMNS + ", " + total + " as total from scim_user u where " + where + page
                + " order by " + order + " limit $" + (parameters.size() - 1) + " offset $" + parameters.size();
        return filterQueries.run(connection -> connection.preparedQuery(sql).execute(Tuple.from(parameters))
                .chain(rows -> {
                    List<User> users = new ArrayList<>(rows.size());
                    long count = 0;
                    for (Row row : rows) {
                        users.add(user(row));
                        count = row.getLong("total");
                    }
                    UUID next = null;
                    if (cursor && users.size() > query.count()) {
                        users = new ArrayList<>(users.subList(0, query.count()));
                        next = query.count() == 0 ? query.after() : users.get(users.size() - 1).id();
                    }
                    if (!users.isEmpty() || !cursor && query.startIndex() == 1 && query.count() > 0) {
                        return Uni.createFrom().item(new Page(users, count, next));
                    }
                    // an empty page past the end (or count=0) still reports the total
                    List<User> found = users;
                    UUID following = next;
                    return connection.preparedQuery("select count(*) from scim_user u where " + where)
                            .execute(Tuple.from(parameters.subList(0, filterParameters)))
                            .map(all -> new Page(found, all.iterator().next().getLong(0), following));
                }));
    }

    /** A page of users and the number of all matches. */
    public record Page(List<User> users, long total, UUID next) {
    }

    public static boolean isUserNameTaken(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && "scim_user_user_name".equals(pg.getConstraint());
    }

    private static Tuple values(UUID id, UUID orgId, ObjectNode document, UUID departmentId, String managedBy) {
        return columnValues(id, orgId, User.Columns.of(document)).addValue(departmentId)
                .addString(document.toString()).addString(managedBy);
    }

    /** The user's id, organization and columns, as the first ten parameters of a statement that writes it. */
    static Tuple columnValues(UUID id, UUID orgId, User.Columns columns) {
        return Tuple.of(id, orgId, columns.userName()).addValue(columns.externalId())
                .addBoolean(columns.active()).addValue(columns.displayName()).addValue(columns.givenName())
                .addValue(columns.familyName()).addValue(columns.email()).addArrayOfString(columns.emails());
    }

    User user(Row row) {
        try {
            return new User(row.getUUID("id"), row.getString("user_name"), row.getBoolean("active"),
                    row.getUUID("department_id"), (ObjectNode) json.readTree(row.getString("attributes")),
                    row.getLong("version"), row.getString("managed_by"),
                    row.getOffsetDateTime("created_at").withOffsetSameInstant(ZoneOffset.UTC).toInstant(),
                    row.getOffsetDateTime("updated_at").withOffsetSameInstant(ZoneOffset.UTC).toInstant());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored user " + row.getUUID("id") + " is not JSON", e);
        }
    }
}
