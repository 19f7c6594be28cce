package dev.keyway.sso.eligibility;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.GroupState;
import dev.keyway.common.event.UserState;
import dev.keyway.runtime.outbox.Batches;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Who may sign in: the login projection of the user store (its SQL; {@link DirectoryEvents} keeps it current from
 * {@code keyway.directory.v1}). Sign-in reads it, and adds just-in-time users, in the ACS's one statement
 * ({@code SignInRepository}).
 */
@ApplicationScoped
public class LoginDirectory {

    /** A user as sign-in sees them. */
    public record LoginUser(UUID id, UUID orgId, String userName, String email, String givenName, String familyName,
            boolean active, List<UUID> groupIds) {
    }

    private static final String UPSERT_USER = """
            insert into login_user (user_id, org_id, user_name, email, given_name, family_name, active, group_ids)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            on conflict (user_id) do update set user_name = excluded.user_name, email = excluded.email,
                given_name = excluded.given_name, family_name = excluded.family_name, active = excluded.active,
                group_ids = excluded.group_ids, updated_at = now()""";
    // the just-in-time users the directory user now stands for (an IdP asserts e-mail or user name)
    private static final String TAKE_OVER_JUST_IN_TIME = """
            delete from login_user where org_id = $1 and source = 'jit' and user_id <> $2
                and (lower(email) = lower($3) or lower(email) = lower($4)) returning user_id""";
    private static final String RELEASE_EMAIL = """
            update login_user set email = null, updated_at = now()
            where org_id = $1 and lower(email) = lower($2) and user_id <> $3""";
    private static final String DELETE_USER = "delete from login_user where user_id = $1";
    private static final String UPSERT_GROUP = """
            insert into login_group (id, org_id, display_name) values ($1, $2, $3)
            on conflict (id) do update set display_name = excluded.display_name""";
    private static final String DELETE_GROUP = "delete from login_group where id = $1";
    private static final String FIND_BY_ID = """
            select user_id, org_id, user_name, email, given_name, family_name, active, group_ids from login_user
            where user_id = $1""";
    private final Pool pool;

    public LoginDirectory(Pool pool) {
        this.pool = pool;
    }

    /**
     * A directory user as one event announced them, for the statements that write many in one round trip, with the
     * e-mail to write: null when a later user of the same batch announces it (the latest announced holds it).
     */
    record Announced(UUID org, UserState user, String email) {
    }

    /**
     * Removes the just-in-time users each directory user now stands for, in one round trip and in order (of two users with one just-in-time
     * twin, the first takes it over): the ids each took over.
     */
    Uni<List<List<UUID>>> takeOverJustInTime(SqlConnection transaction, List<Announced> users) {
        if (users.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return transaction.preparedQuery(TAKE_OVER_JUST_IN_TIME).executeBatch(users.stream()
                .map(one -> Tuple.of(one.org(), one.user().id(), one.user().email(), one.user().userName())).toList())
                .map(rows -> {
                    List<List<UUID>> taken = new ArrayList<>(users.size());
                    for (RowSet<Row> each = rows; each != null; each = each.next()) {
                        taken.add(ids(each));
                    }
                    return taken;
                });
    }

    /** Other users of each organization give up the e-mail (one login identity per e-mail), in one round trip. */
    Uni<Void> releaseEmails(SqlConnection transaction, List<Announced> users) {
        return Batches.execute(transaction, RELEASE_EMAIL, users.stream()
                .filter(one -> one.email() != null).map(one -> Tuple.of(one.org(), one.email(), one.user().id()))
                .toList());
    }

    /** Inserts or replaces directory users, in one round trip. */
    Uni<Void> upsertUsers(SqlConnection transaction, List<Announced> users) {
        return Batches.execute(transaction, UPSERT_USER, users.stream()
                .map(one -> userRow(one.org(), one.user(), one.email())).toList());
    }

    Uni<Void> deleteUsers(SqlConnection transaction, List<UUID> userIds) {
        return Batches.execute(transaction, DELETE_USER, userIds.stream().map(id -> Tuple.of(id)).toList());
    }

    /** Inserts or replaces groups, in one round trip; {@code orgs} pairs with {@code groups}. */
    Uni<Void> upsertGroups(SqlConnection transaction, List<UUID> orgs, List<GroupState> groups) {
        List<Tuple> rows = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            rows.add(Tuple.of(groups.get(i).id(), orgs.get(i), groups.get(i).displayName()));
        }
        return Batches.execute(transaction, UPSERT_GROUP, rows);
    }

    Uni<Void> deleteGroups(SqlConnection transaction, List<UUID> groupIds) {
        return Batches.execute(transaction, DELETE_GROUP, groupIds.stream().map(id -> Tuple.of(id)).toList());
    }

    private static Tuple userRow(UUID org, UserState user, String email) {
        return Tuple.of(user.id(), org, user.userName(), email, user.givenName(), user.familyName())
                .addBoolean(user.active()).addArrayOfUUID(user.groupIds().toArray(UUID[]::new));
    }

    public Uni<LoginUser> byId(UUID userId) {
        return pool.preparedQuery(FIND_BY_ID).execute(Tuple.of(userId))
                .map(rows -> rows.size() == 0 ? null : user(rows.iterator().next()));
    }

    private static List<UUID> ids(RowSet<Row> rows) {
        return StreamSupport.stream(rows.spliterator(), false).map(row -> row.getUUID("user_id"))
                .toList();
    }

    private static LoginUser user(Row row) {
        UUID[] groups = row.getArrayOfUUIDs("group_ids");
        return new LoginUser(row.getUUID("user_id"), row.getUUID("org_id"), row.getString("user_name"),
                row.getString("email"), row.getString("given_name"), row.getString("family_name"),
                row.getBoolean("active"), groups == null ? List.of() : List.of(groups));
    }
}
