package dev.keyway.sso.eligibility;

import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.GroupState;
import dev.keyway.common.event.UserState;
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

    /** Inserts or replaces a directory user. */
    Uni<Void> upsertUser(SqlConnection transaction, UUID org, UserState user) {
        return transaction.preparedQuery(UPSERT_USER).execute(Tuple.of(user.id(), org, user.userName(), user.email(),
                user.givenName(), user.familyName()).addBoolean(user.active())
                .addArrayOfUUID(user.groupIds().toArray(UUID[]::new))).replaceWithVoid();
    }

    /** Removes the just-in-time users the directory user now stands for; their ids. */
    Uni<List<UUID>> takeOverJustInTime(SqlConnection transaction, UUID org, UserState user) {
        return transaction.preparedQuery(TAKE_OVER_JUST_IN_TIME)
                .execute(Tuple.of(org, user.id(), user.email(), user.userName())).map(LoginDirectory::ids);
    }

    /** Other users of the organization give up the e-mail (one login identity per e-mail). */
    Uni<Void> releaseEmail(SqlConnection transaction, UUID org, UserState user) {
        return transaction.preparedQuery(RELEASE_EMAIL).execute(Tuple.of(org, user.email(), user.id()))
                .replaceWithVoid();
    }

    Uni<Void> deleteUser(SqlConnection transaction, UUID userId) {
        return transaction.preparedQuery(DELETE_USER).execute(Tuple.of(userId)).replaceWithVoid();
    }

    Uni<Void> upsertGroup(SqlConnection transaction, UUID org, GroupState group) {
        return transaction.preparedQuery(UPSERT_GROUP).execute(Tuple.of(group.id(), org, group.displayName()))
                .replaceWithVoid();
    }

    Uni<Void> deleteGroup(SqlConnection transaction, UUID groupId) {
        return transaction.preparedQuery(DELETE_GROUP).execute(Tuple.of(groupId)).replaceWithVoid();
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
