package dev.keyway.scim.events;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.ImportedGroup;
import dev.keyway.common.event.ImportedUser;
import dev.keyway.common.event.ImportedUserLeft;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.database.KeptConnection;
import dev.keyway.runtime.log.LogSafe;
import dev.keyway.runtime.outbox.BatchEffect;
import dev.keyway.runtime.outbox.IncomingEvents;
import dev.keyway.scim.departments.Departments;
import dev.keyway.scim.groups.GroupRepository;
import dev.keyway.scim.protocol.Canonicalizer;
import dev.keyway.scim.protocol.ScimJson;
import dev.keyway.scim.protocol.schema.ScimSchemas;
import dev.keyway.scim.users.User;
import dev.keyway.scim.users.UserRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Applies what directory imports saw ({@code keyway.imports.v1}) to the user store, once per event.
 *
 * <p>Precedence: SCIM wins. An imported user is created as {@code import:<integration>}; the first SCIM write to it
 * makes it SCIM's, and from then on imports leave it (and its memberships) alone. A user SCIM created is never
 * touched by an import, even when the userName matches. Imported memberships are tagged with the integration, so an
 * import only ever adds or removes its own. A group an integration imports into is created when the integration names
 * it ({@code import.group.selected}), or with its first member; a group SCIM manages is used as it is.
 */
@ApplicationScoped
public class ImportEvents {

    private static final Logger LOG = Logger.getLogger(ImportEvents.class);

    private static final String LINKED = """
            select l.user_id from import_link l join scim_user u on u.id = l.user_id and u.deleted_at is null
            where l.integration_id = $1 and l.source_user_id = $2""";
    private static final String BY_USER_NAME = """
            select id, managed_by from scim_user where org_id = $1 and lower(user_name) = lower($2)
            and deleted_at is null for update""";
    private static final String LINK = """
            insert into import_link (integration_id, source_user_id, org_id, user_id) values ($1, $2, $3, $4)
            on conflict (integration_id, source_user_id) do update set user_id = excluded.user_id""";
    private static final String IMPORTED_GROUPS = "select group_id from group_member where user_id = $1 and source = $2";

    private final IncomingEvents events;
    private final UserRepository users;
    private final GroupRepository groups;
    private final Departments departments;
    private final DirectoryEvents directory;
    private final KeptConnection connection;

    public ImportEvents(Pool pool, IncomingEvents events, UserRepository users, GroupRepository groups,
            Departments departments, DirectoryEvents directory) {
        this.connection = new KeptConnection(pool);
        this.events = events;
        this.users = users;
        this.groups = groups;
        this.departments = departments;
        this.directory = directory;
    }

    /** A polled batch in one transaction (the channel has {@code batch=true}), its events one after another. */
    @Incoming("imports")
    public Uni<Void> onImportEvents(ConsumerRecords<String, String> records) {
        return events.applyBatch(records, connection, BatchEffect.eachInOrder(this::apply));
    }

    Uni<Void> apply(SqlConnection transaction, EventEnvelope event) {
        if (event.payload() instanceof ImportedUser imported) {
            return upsert(transaction, event.orgId(), event.region(), imported);
        }
        if (event.payload() instanceof ImportedUserLeft left) {
            return leave(transaction, event.orgId(), event.region(), left);
        }
        if (event.payload() instanceof ImportedGroup group) {
            return ensureGroup(transaction, event.orgId(), event.region(), "import:" + group.integrationId(),
                    group.displayName()).replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> upsert(SqlConnection transaction, OrgId org, Region region, ImportedUser imported) {
        String source = "import:" + imported.integrationId();
        return target(transaction, org, imported.integrationId(), imported.sourceUserId(), imported.userName())
                .chain(existing -> {
                    if (existing != null && !existing.managedBy().startsWith("import:")) {
                        LOG.debugf("Import %s skips %s: SCIM manages this user", imported.integrationId(),
                                LogSafe.value(imported.userName()));
                        return Uni.createFrom().voidItem();
                    }
                    return manager(transaction, imported).chain(managerId -> {
                        ObjectNode document = document(imported, managerId);
                        UUID id = existing != null ? existing.id() : UUID.randomUUID();
                        Uni<User> written = departments.sync(transaction, org, region, imported.department(),
                                existing == null ? null : existing.departmentId())
                                .chain(department -> existing == null
                                        ? users.insert(transaction, org.value(), id, document, department, source)
                                        : users.update(transaction, org.value(), id, document, department,
                                                existing.managedBy()));
                        return written
                                .call(user -> transaction.preparedQuery(LINK).execute(Tuple.of(imported.integrationId(),
                                        imported.sourceUserId(), org.value(), user.id())))
                                .chain(user -> memberships(transaction, org, region, user.id(), source,
                                        imported.groups()))
                                .chain(() -> directory.usersChanged(transaction, org, region, List.of(id)));
                    });
                });
    }

    private Uni<Void> leave(SqlConnection transaction, OrgId org, Region region, ImportedUserLeft left) {
        String source = "import:" + left.integrationId();
        return transaction.preparedQuery(LINKED).execute(Tuple.of(left.integrationId(), left.sourceUserId()))
                .chain(rows -> rows.size() == 0 ? Uni.createFrom().nullItem()
                        : users.lock(transaction, org.value(), rows.iterator().next().getUUID("user_id")))
                .chain(user -> {
                    if (user == null || !user.managedBy().startsWith("import:")) {
                        return Uni.createFrom().voidItem();
                    }
                    ObjectNode document = user.attributes().deepCopy().put("active", false);
                    return users.update(transaction, org.value(), user.id(), document, user.departmentId(),
                            user.managedBy())
                            .chain(() -> memberships(transaction, org, region, user.id(), source, List.of()))
                            .chain(() -> directory.usersChanged(transaction, org, region, List.of(user.id())));
                });
    }

    /** The user an import event is about: the linked one, else an existing user of that userName, else none. */
    private Uni<User> target(SqlConnection transaction, OrgId org, UUID integration, String sourceUserId,
            String userName) {
        return transaction.preparedQuery(LINKED).execute(Tuple.of(integration, sourceUserId)).chain(linked -> {
            if (linked.size() == 1) {
                return users.lock(transaction, org.value(), linked.iterator().next().getUUID("user_id"));
            }
            return transaction.preparedQuery(BY_USER_NAME).execute(Tuple.of(org.value(), userName))
                    .chain(rows -> rows.size() == 0 ? Uni.createFrom().nullItem()
                            : users.lock(transaction, org.value(), rows.iterator().next().getUUID("id")));
        });
    }

    private Uni<UUID> manager(SqlConnection transaction, ImportedUser imported) {
        if (imported.managerSourceId() == null) {
            return Uni.createFrom().nullItem();
        }
        return transaction.preparedQuery(LINKED).execute(Tuple.of(imported.integrationId(), imported.managerSourceId()))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("user_id"));
    }

    /** The group of that name, created (and announced) if there is none; an existing one is left as it is. */
    private Uni<UUID> ensureGroup(SqlConnection transaction, OrgId org, Region region, String source, String name) {
        return groups.findOrCreate(transaction, org.value(), name, source, created -> directory.groupChanged(
                transaction, org, region, created.id(), created.displayName(), created.externalId()));
    }

    /** Makes this integration's memberships of the user exactly {@code groupNames}, creating missing groups. */
    private Uni<Void> memberships(SqlConnection transaction, OrgId org, Region region, UUID userId, String source,
            List<String> groupNames) {
        return Multi.createFrom().iterable(groupNames)
                .onItem().transformToUniAndConcatenate(name -> ensureGroup(transaction, org, region, source, name))
                .collect().asList()
                .chain(wanted -> transaction.preparedQuery(IMPORTED_GROUPS).execute(Tuple.of(userId, source))
                        .chain(rows -> {
                            Set<UUID> current = new HashSet<>();
                            for (Row row : rows) {
                                current.add(row.getUUID("group_id"));
                            }
                            Set<UUID> joining = new HashSet<>(wanted);
                            joining.removeAll(current);
                            Set<UUID> leaving = new HashSet<>(current);
                            wanted.forEach(leaving::remove);
                            return Multi.createFrom().iterable(joining)
                                    .onItem().transformToUniAndConcatenate(group -> groups.addMembers(transaction,
                                            org.value(), group, List.of(userId), source)
                                            .call(() -> groups.touch(transaction, group))
                                            .call(() -> directory.membersChanged(transaction, org, group,
                                                    List.of(userId))))
                                    .collect().last()
                                    .chain(() -> Multi.createFrom().iterable(leaving)
                                            .onItem().transformToUniAndConcatenate(group -> groups
                                                    .removeSourcedMember(transaction, group, userId, source)
                                                    .call(() -> directory.membersChanged(transaction, org, group,
                                                            List.of(userId))))
                                            .collect().last())
                                    .replaceWithVoid();
                        }));
    }

    private static ObjectNode document(ImportedUser imported, UUID managerId) {
        ObjectNode input = ScimJson.object().put("userName", imported.userName()).put("active", imported.active());
        ObjectNode name = input.putObject("name");
        if (imported.givenName() != null) {
            name.put("givenName", imported.givenName());
        }
        if (imported.familyName() != null) {
            name.put("familyName", imported.familyName());
        }
        if (imported.email() != null) {
            input.putArray("emails").addObject().put("value", imported.email()).put("type", "work")
                    .put("primary", true);
        }
        if (imported.title() != null) {
            input.put("title", imported.title());
        }
        ObjectNode enterprise = input.putObject(ScimSchemas.ENTERPRISE_USER_URN);
        if (imported.department() != null) {
            enterprise.put("department", imported.department());
        }
        if (imported.employeeNumber() != null) {
            enterprise.put("employeeNumber", imported.employeeNumber());
        }
        if (managerId != null) {
            enterprise.putObject("manager").put("value", managerId.toString());
        }
        return Canonicalizer.canonicalize(ScimSchemas.USERS, input);
    }
}
