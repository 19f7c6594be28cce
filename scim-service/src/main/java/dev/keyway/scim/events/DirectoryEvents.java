package dev.keyway.scim.events;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.EventType;
import dev.keyway.common.event.GroupDeleted;
import dev.keyway.common.event.GroupState;
import dev.keyway.common.event.UserDeleted;
import dev.keyway.common.event.UserState;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.outbox.Outbox;
import dev.keyway.scim.protocol.schema.ScimSchemas;
import dev.keyway.scim.setevents.SecurityEventLog;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Publishes the user store's changes on {@code keyway.directory.v1}, through the outbox of the same transaction.
 * Users travel as their whole state, read back from the store after the change (a new user's is written by
 * {@link dev.keyway.scim.users.UserCreation}, in the statement that creates it); membership travels on the users,
 * so a membership change costs O(change). Each change is also written, in the same transaction, to the event log the
 * SaaS's apps read (SCIM events, {@link SecurityEventLog}), under the same event id.
 */
@ApplicationScoped
public class DirectoryEvents {

    private static final String USER_STATES = """
            select u.id, u.user_name, u.external_id, u.given_name, u.family_name, u.display_name, u.email, u.active,
                   u.attributes ->> 'title' as title, d.name as department,
                   u.attributes -> '%s' ->> 'employeeNumber' as employee_number,
                   array(select gm.group_id from group_member gm join scim_group g on g.id = gm.group_id
                         where gm.user_id = u.id and g.deleted_at is null order by gm.group_id) as group_ids
            from scim_user u left join department d on d.id = u.department_id
            where u.id = any($1) and u.deleted_at is null""".formatted(ScimSchemas.ENTERPRISE_USER_URN);

    private final Outbox outbox;
    private final SecurityEventLog log;

    public DirectoryEvents(Outbox outbox, SecurityEventLog log) {
        this.outbox = outbox;
        this.log = log;
    }

    /** Announces the current state of these users (after a write in this transaction). */
    public Uni<Void> usersChanged(SqlConnection transaction, OrgId org, Region region, Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return transaction.preparedQuery(USER_STATES).execute(Tuple.of(userIds.toArray(UUID[]::new)))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(row -> outbox.append(transaction, EventType.USER_UPSERTED,
                        org, region, row.getUUID("id").toString(), state(row))
                        .call(event -> log.userChanged(transaction, org, row.getUUID("id"), event.id())))
                .collect().last().replaceWithVoid();
    }

    public Uni<Void> userDeleted(SqlConnection transaction, OrgId org, Region region, UUID id) {
        return outbox.append(transaction, EventType.USER_DELETED, org, region, id.toString(), new UserDeleted(id))
                .call(event -> log.userDeleted(transaction, org, id, event.id())).replaceWithVoid();
    }

    public Uni<Void> groupChanged(SqlConnection transaction, OrgId org, Region region, UUID id, String displayName,
            String externalId) {
        return outbox.append(transaction, EventType.GROUP_UPSERTED, org, region, id.toString(),
                new GroupState(id, displayName, externalId))
                .call(event -> log.groupChanged(transaction, org, id, event.id())).replaceWithVoid();
    }

    public Uni<Void> groupDeleted(SqlConnection transaction, OrgId org, Region region, UUID id) {
        return outbox.append(transaction, EventType.GROUP_DELETED, org, region, id.toString(), new GroupDeleted(id))
                .call(event -> log.groupDeleted(transaction, org, id, event.id())).replaceWithVoid();
    }

    /**
     * These users joined or left the group in this transaction. Kafka carries membership on the users
     * ({@link #usersChanged}); the event log also tells it as a change of the group, as SCIM clients expect.
     */
    public Uni<Void> membersChanged(SqlConnection transaction, OrgId org, UUID groupId, Collection<UUID> userIds) {
        return log.membersChanged(transaction, org, groupId, userIds);
    }

    private static UserState state(Row row) {
        return new UserState(row.getUUID("id"), row.getString("user_name"), row.getString("external_id"),
                row.getString("given_name"), row.getString("family_name"), row.getString("display_name"),
                row.getString("email"), row.getBoolean("active"), row.getString("title"), row.getString("department"),
                row.getString("employee_number"), List.of(row.getArrayOfUUIDs("group_ids")));
    }
}
