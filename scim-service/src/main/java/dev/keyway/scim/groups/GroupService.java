package dev.keyway.scim.groups;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.scim.events.DirectoryEvents;
import dev.keyway.scim.protocol.Canonicalizer;
import dev.keyway.scim.protocol.ETags;
import dev.keyway.scim.protocol.ListQuery;
import dev.keyway.scim.protocol.Projection;
import dev.keyway.scim.protocol.ScimException;
import dev.keyway.scim.protocol.patch.DocumentPatch;
import dev.keyway.scim.protocol.patch.PatchOp;
import dev.keyway.scim.protocol.schema.ScimSchemas;
import dev.keyway.scim.token.ScimCaller.Tenant;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The rules of groups: display names unique per organization, members are users of the same organization, a
 * membership change touches only the members it changes (and their events). Refused when the organization has
 * group management switched off.
 */
@ApplicationScoped
public class GroupService {

    static final String MANAGED_BY_SCIM = "scim";

    /** A group, with its members when they were asked for (null otherwise). */
    public record GroupView(Group group, List<Group.Member> members) {
    }

    /** A page of groups and the number of all matches. */
    public record GroupPage(List<GroupView> groups, long total, UUID next) {
    }

    private final Pool pool;
    private final GroupRepository groups;
    private final DirectoryEvents events;

    public GroupService(Pool pool, GroupRepository groups, DirectoryEvents events) {
        this.pool = pool;
        this.groups = groups;
        this.events = events;
    }

    public Uni<GroupView> create(Tenant tenant, JsonNode body) {
        requireGroups(tenant);
        ObjectNode document = Canonicalizer.canonicalize(ScimSchemas.GROUPS, body);
        Set<UUID> members = MembershipChange.ids(document.remove("members"));
        UUID id = UUID.randomUUID();
        return pool.withTransaction(transaction -> groups.insert(transaction, tenant.orgId(), id, document,
                MANAGED_BY_SCIM)
                .call(group -> groups.addMembers(transaction, tenant.orgId(), id, members, MANAGED_BY_SCIM)
                        .call(added -> events.usersChanged(transaction, tenant.org(), tenant.region(), added)))
                .call(group -> announce(transaction, tenant, group))
                .call(group -> events.membersChanged(transaction, tenant.org(), id, members))
                .chain(group -> withMembers(transaction, group, Projection.all())))
                .onFailure(GroupRepository::isDisplayNameTaken).transform(e -> taken(document));
    }

    public Uni<GroupView> get(Tenant tenant, String id, Projection projection) {
        requireGroups(tenant);
        return groups.find(tenant.orgId(), parseId(id))
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(group -> withMembers(pool, group, projection));
    }

    public Uni<GroupPage> list(Tenant tenant, ListQuery query) {
        requireGroups(tenant);
        return groups.list(tenant.orgId(), query).chain(page -> {
            Uni<Map<UUID, List<Group.Member>>> members = query.projection().returns("members")
                    ? groups.members(pool, page.groups().stream().map(Group::id).toList())
                    : Uni.createFrom().item(Map.of());
            return members.map(byGroup -> new GroupPage(page.groups().stream()
                    .map(group -> new GroupView(group, query.projection().returns("members")
                            ? byGroup.getOrDefault(group.id(), List.of()) : null))
                    .toList(), page.total(), page.next()));
        });
    }

    /** PUT: the body replaces the group, members included (an absent member list empties the group). */
    public Uni<GroupView> replace(Tenant tenant, String id, JsonNode body, String ifMatch) {
        requireGroups(tenant);
        ObjectNode document = Canonicalizer.canonicalize(ScimSchemas.GROUPS, body);
        Set<UUID> members = MembershipChange.ids(document.remove("members"));
        MembershipChange change = new MembershipChange(List.of(),
                List.of(new MembershipChange.Action(MembershipChange.Kind.REPLACE, members)));
        return change(tenant, id, ifMatch, existing -> document, change)
                .chain(group -> withMembers(pool, group, Projection.all()));
    }

    /**
     * PATCH. Answers the group without loading its members unless the caller's projection asks for them, so
     * adding one member to a large group stays cheap.
     */
    public Uni<Group> patch(Tenant tenant, String id, JsonNode body, String ifMatch) {
        requireGroups(tenant);
        MembershipChange change = MembershipChange.of(PatchOp.parse(body));
        DocumentPatch.validate(ScimSchemas.GROUPS, change.attributeOperations());
        return change(tenant, id, ifMatch, existing -> change.attributeOperations().isEmpty() ? existing.attributes()
                : Canonicalizer.canonicalize(ScimSchemas.GROUPS,
                        DocumentPatch.apply(ScimSchemas.GROUPS, existing.attributes(), change.attributeOperations())),
                change);
    }

    public Uni<GroupView> withMembers(Group group, Projection projection) {
        return withMembers(pool, group, projection);
    }

    public Uni<Void> delete(Tenant tenant, String id, String ifMatch) {
        requireGroups(tenant);
        UUID groupId = parseId(id);
        return pool.withTransaction(transaction -> groups.lock(transaction, tenant.orgId(), groupId)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(existing -> {
                    ETags.requireMatch(ifMatch, existing.version());
                    return groups.delete(transaction, tenant.orgId(), groupId);
                })
                .call(formerMembers -> events.usersChanged(transaction, tenant.org(), tenant.region(), formerMembers))
                .call(() -> events.groupDeleted(transaction, tenant.org(), tenant.region(), groupId))
                .replaceWithVoid());
    }

    private Uni<Group> change(Tenant tenant, String id, String ifMatch,
            Function<Group, ObjectNode> attributes, MembershipChange change) {
        UUID groupId = parseId(id);
        return pool.withTransaction(transaction -> groups.lock(transaction, tenant.orgId(), groupId)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(existing -> {
                    ETags.requireMatch(ifMatch, existing.version());
                    ObjectNode document = attributes.apply(existing);
                    document.remove("members");
                    Set<UUID> changedUsers = new HashSet<>();
                    return Multi.createFrom().iterable(change.actions())
                            .onItem().transformToUniAndConcatenate(action -> apply(transaction, tenant, groupId, action)
                                    .invoke(changedUsers::addAll))
                            .collect().last()
                            .chain(() -> groups.update(transaction, tenant.orgId(), groupId, document))
                            .call(updated -> events.usersChanged(transaction, tenant.org(), tenant.region(),
                                    changedUsers))
                            .call(updated -> updated.attributes().equals(existing.attributes())
                                    ? Uni.createFrom().voidItem() : announce(transaction, tenant, updated))
                            .call(() -> events.membersChanged(transaction, tenant.org(), groupId, changedUsers));
                }))
                .onFailure(GroupRepository::isDisplayNameTaken).transform(e -> ScimException.uniqueness(
                        "Another group already has this displayName."));
    }

    private Uni<Set<UUID>> apply(SqlConnection transaction, Tenant tenant, UUID groupId,
            MembershipChange.Action action) {
        return switch (action.kind()) {
            case ADD -> groups.addMembers(transaction, tenant.orgId(), groupId, action.userIds(), MANAGED_BY_SCIM);
            case REMOVE -> groups.removeMembers(transaction, groupId, action.userIds());
            case REMOVE_ALL -> groups.removeAllMembers(transaction, groupId);
            case REPLACE -> groups.memberIds(transaction, groupId).chain(current -> {
                Set<UUID> leaving = new HashSet<>(current);
                leaving.removeAll(action.userIds());
                Set<UUID> joining = new HashSet<>(action.userIds());
                joining.removeAll(current);
                return groups.removeMembers(transaction, groupId, leaving)
                        .chain(left -> groups.addMembers(transaction, tenant.orgId(), groupId, joining, MANAGED_BY_SCIM)
                                .map(joined -> {
                                    Set<UUID> changed = new HashSet<>(left);
                                    changed.addAll(joined);
                                    return changed;
                                }));
            });
        };
    }

    private Uni<Void> announce(SqlConnection transaction, Tenant tenant, Group group) {
        return events.groupChanged(transaction, tenant.org(), tenant.region(), group.id(), group.displayName(),
                group.externalId());
    }

    private Uni<GroupView> withMembers(SqlClient client, Group group, Projection projection) {
        if (!projection.returns("members")) {
            return Uni.createFrom().item(new GroupView(group, null));
        }
        return groups.members(client, List.of(group.id()))
                .map(members -> new GroupView(group, members.getOrDefault(group.id(), List.of())));
    }

    static void requireGroups(Tenant tenant) {
        if (!tenant.groupsEnabled()) {
            throw new ScimException(Response.Status.FORBIDDEN, null, "Group management is switched off for this "
                    + "organization; an administrator can switch it on in Keyway's SCIM settings.");
        }
    }

    private static ScimException taken(ObjectNode document) {
        return ScimException.uniqueness("A group named '" + document.path("displayName").asText()
                + "' already exists.");
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    private static ScimException notFound(String id) {
        return ScimException.notFound("No group " + id + ".");
    }
}
