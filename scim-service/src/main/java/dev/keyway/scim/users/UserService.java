package dev.keyway.scim.users;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.scim.departments.Departments;
import dev.keyway.scim.events.DirectoryEvents;
import dev.keyway.scim.protocol.Canonicalizer;
import dev.keyway.scim.protocol.ETags;
import dev.keyway.scim.protocol.ListQuery;
import dev.keyway.scim.protocol.ScimException;
import dev.keyway.scim.protocol.patch.DocumentPatch;
import dev.keyway.scim.protocol.patch.PatchOp;
import dev.keyway.scim.protocol.schema.ScimSchemas;
import dev.keyway.scim.token.ScimCaller.Tenant;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The rules of the user store for SCIM: every write is one transaction that validates the canonical document,
 * syncs the department, writes the user and announces its new state through the outbox (a creation, one statement:
 * {@link UserCreation}).
 */
@ApplicationScoped
public class UserService {

    /** Users SCIM writes are SCIM's: directory imports leave them alone. */
    public static final String MANAGED_BY_SCIM = "scim";

    /** A user with the groups it belongs to. */
    public record UserView(User user, List<User.GroupRef> groups) {
    }

    /** A page of users and the number of all matches. */
    public record UserPage(List<UserView> users, long total, UUID next) {
    }

    private final Pool pool;
    private final UserRepository users;
    private final Departments departments;
    private final DirectoryEvents events;
    private final UserCreation creation;

    public UserService(Pool pool, UserRepository users, Departments departments, DirectoryEvents events,
            UserCreation creation) {
        this.pool = pool;
        this.users = users;
        this.departments = departments;
        this.events = events;
        this.creation = creation;
    }

    public Uni<UserView> create(Tenant tenant, JsonNode body) {
        ObjectNode document = Canonicalizer.canonicalize(ScimSchemas.USERS, body);
        if (!document.has("active")) {
            document.put("active", true);
        }
        return creation.create(tenant, UUID.randomUUID(), document, MANAGED_BY_SCIM)
                .map(user -> new UserView(user, List.of()))
                .onFailure(UserRepository::isUserNameTaken).transform(e -> taken(document));
    }

    public Uni<UserView> get(Tenant tenant, String id) {
        UUID userId = parseId(id);
        return users.find(tenant.orgId(), userId)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(user -> users.groupsOf(pool, Set.of(userId))
                        .map(groups -> new UserView(user, groups.getOrDefault(userId, List.of()))));
    }

    public Uni<UserPage> list(Tenant tenant, ListQuery query) {
        return users.list(tenant.orgId(), query).chain(page -> {
            Uni<Map<UUID, List<User.GroupRef>>> groups = query.projection().returns("groups")
                    ? users.groupsOf(pool,
                            page.users().stream().map(User::id).collect(Collectors.toSet()))
                    : Uni.createFrom().item(Map.of());
            return groups.map(byUser -> new UserPage(page.users().stream()
                    .map(user -> new UserView(user, byUser.getOrDefault(user.id(), List.of()))).toList(),
                    page.total(), page.next()));
        });
    }

    /** PUT: the body replaces the user; {@code active} keeps its value when the body leaves it out. */
    public Uni<UserView> replace(Tenant tenant, String id, JsonNode body, String ifMatch) {
        // checked before the user is looked up: a malformed body is a 400 whether or not the id exists
        ObjectNode replacement = Canonicalizer.canonicalize(ScimSchemas.USERS, body);
        return write(tenant, id, ifMatch, existing -> replacement.deepCopy());
    }

    public Uni<UserView> patch(Tenant tenant, String id, JsonNode body, String ifMatch) {
        List<PatchOp> operations = PatchOp.parse(body);
        DocumentPatch.validate(ScimSchemas.USERS, operations);
        return write(tenant, id, ifMatch, existing -> Canonicalizer.canonicalize(ScimSchemas.USERS,
                DocumentPatch.apply(ScimSchemas.USERS, existing.attributes(), operations)));
    }

    public Uni<Void> delete(Tenant tenant, String id, String ifMatch) {
        UUID userId = parseId(id);
        return pool.withTransaction(transaction -> users.lock(transaction, tenant.orgId(), userId)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(existing -> {
                    ETags.requireMatch(ifMatch, existing.version());
                    return users.delete(transaction, tenant.orgId(), userId);
                })
                .chain(() -> events.userDeleted(transaction, tenant.org(), tenant.region(), userId)));
    }

    private Uni<UserView> write(Tenant tenant, String id, String ifMatch, Function<User, ObjectNode> change) {
        UUID userId = parseId(id);
        return pool.withTransaction(transaction -> users.lock(transaction, tenant.orgId(), userId)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(existing -> {
                    ETags.requireMatch(ifMatch, existing.version());
                    ObjectNode document = change.apply(existing);
                    if (!document.has("active")) {
                        document.put("active", existing.active());
                    }
                    return departments.sync(transaction, tenant.org(), tenant.region(), department(document),
                            existing.departmentId())
                            .chain(department -> users.update(transaction, tenant.orgId(), userId, document,
                                    department, MANAGED_BY_SCIM));
                })
                .call(() -> events.usersChanged(transaction, tenant.org(), tenant.region(), List.of(userId)))
                .chain(user -> users.groupsOf(transaction, Set.of(userId))
                        .map(groups -> new UserView(user, groups.getOrDefault(userId, List.of())))))
                .onFailure(UserRepository::isUserNameTaken).transform(e -> ScimException.uniqueness(
                        "Another user already has this userName."));
    }

    private static String department(ObjectNode document) {
        return User.Columns.of(document).department();
    }

    private static ScimException taken(ObjectNode document) {
        return ScimException.uniqueness("A user with userName '" + document.path("userName").asText()
                + "' already exists.");
    }

    static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    static ScimException notFound(String id) {
        return ScimException.notFound("No user " + id + ".");
    }
}
