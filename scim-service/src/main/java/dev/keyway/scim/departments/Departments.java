package dev.keyway.scim.departments;

import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.DepartmentState;
import dev.keyway.common.event.EventType;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.outbox.Outbox;
import dev.keyway.runtime.problem.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Departments of an organization. A user's department name merges into an existing department of the same name
 * (ignoring case), enabled or disabled, and is never duplicated; a new name creates one. A disabled department
 * receives no user sync: the user is provisioned, but keeps the department they had.
 */
@ApplicationScoped
public class Departments {

    /** A department as the admin API shows it. */
    public record Department(UUID id, String name, boolean enabled, long members) {
    }

    /** One round trip: the new department (created = true), or the one that already had this name. */
    private static final String FIND_OR_CREATE = """
            with created as (
                insert into department (id, org_id, name) values ($1, $2, $3)
                on conflict (org_id, lower(name)) do nothing returning id, name, enabled)
            select id, name, enabled, true as created from created
            union all
            select id, name, enabled, false from department
            where org_id = $2 and lower(name) = lower($3) and not exists (select 1 from created)""";
    /**
     * When a concurrent transaction created the same department, the statement above waited for it but cannot see
     * its row (its snapshot is older): a second statement can.
     */
    private static final String FIND = """
            select id, name, enabled, false as created from department where org_id = $1 and lower(name) = lower($2)""";
    private static final String LIST = """
            select d.id, d.name, d.enabled,
                   (select count(*) from scim_user u where u.department_id = d.id and u.deleted_at is null) as members
            from department d where d.org_id = $1 order by lower(d.name)""";
    private static final String SET_ENABLED = """
            update department set enabled = $3, updated_at = now() where id = $1 and org_id = $2
            returning id, name, enabled, (select count(*) from scim_user u where u.department_id = $1
                and u.deleted_at is null) as members""";

    private final Pool pool;
    private final Outbox outbox;

    public Departments(Pool pool, Outbox outbox) {
        this.pool = pool;
        this.outbox = outbox;
    }

    /**
     * The department a user gets for {@code name}: an enabled department's id (created if new), {@code current}
     * when that department is disabled, null when the user has no department.
     */
    public Uni<UUID> sync(SqlConnection transaction, OrgId org, Region region, String name, UUID current) {
        return findOrCreate(transaction, org, region, name)
                .map(department -> department == null ? null : department.enabled() ? department.id() : current);
    }

    /** The department a user's document names: the name without blanks around it; null when there is none. */
    public static String name(String given) {
        return given == null || given.isBlank() ? null : given.strip();
    }

    private record Found(UUID id, String name, boolean enabled) {
    }

    private Uni<Found> findOrCreate(SqlConnection transaction, OrgId org, Region region, String name) {
        String trimmed = name(name);
        if (trimmed == null) {
            return Uni.createFrom().nullItem();
        }
        UUID id = UUID.randomUUID();
        return transaction.preparedQuery(FIND_OR_CREATE).execute(Tuple.of(id, org.value(), trimmed))
                .chain(rows -> rows.size() > 0 ? Uni.createFrom().item(rows)
                        : transaction.preparedQuery(FIND).execute(Tuple.of(org.value(), trimmed)))
                .chain(rows -> {
                    Row department = rows.iterator().next();
                    Found found = new Found(department.getUUID("id"), department.getString("name"),
                            department.getBoolean("enabled"));
                    if (department.getBoolean("created")) {
                        return outbox.append(transaction, EventType.DEPARTMENT_UPSERTED, org, region, id.toString(),
                                new DepartmentState(id, trimmed, true)).replaceWith(found);
                    }
                    return Uni.createFrom().item(found);
                });
    }

    public Uni<List<Department>> list(OrgId org) {
        return pool.preparedQuery(LIST).execute(Tuple.of(org.value()))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                        .map(Departments::department).toList());
    }

    public Uni<Department> setEnabled(OrgId org, Region region, UUID id, boolean enabled) {
        return pool.withTransaction(transaction -> transaction.preparedQuery(SET_ENABLED)
                .execute(Tuple.of(id, org.value(), enabled))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("No department " + id + ".");
                    }
                    Department department = department(rows.iterator().next());
                    return outbox.append(transaction, EventType.DEPARTMENT_UPSERTED, org, region, id.toString(),
                            new DepartmentState(id, department.name(), enabled)).replaceWith(department);
                }));
    }

    private static Department department(Row row) {
        return new Department(row.getUUID("id"), row.getString("name"), row.getBoolean("enabled"),
                row.getLong("members"));
    }
}
