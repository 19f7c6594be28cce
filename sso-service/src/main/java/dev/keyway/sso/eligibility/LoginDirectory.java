package dev.keyway.sso.eligibility;

import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.GroupDeleted;
import dev.keyway.common.event.GroupState;
import dev.keyway.common.event.UserDeleted;
import dev.keyway.common.event.UserState;
import dev.keyway.runtime.outbox.IncomingEvents;
import dev.keyway.sso.session.Sessions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Who may sign in: the projection of the user store that {@code keyway.directory.v1} keeps current. A user
 * deactivated or deleted there loses their sessions in the same transaction that records it here.
 *
 * <p>One login identity per (organization, e-mail), and the directory's state wins: a just-in-time user is taken
 * over (row and sessions) by the directory user that arrives with their e-mail or user name, so deactivating that
 * user in the directory ends every way in; of two directory users with one e-mail, the latest announced holds it.
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
    // an e-mail match first ("is true": a user without e-mail must not sort before it)
    private static final String FIND = """
            select user_id, org_id, user_name, email, given_name, family_name, active, group_ids from login_user
            where org_id = $1 and (lower(email) = lower($2) or lower(user_name) = lower($2))
            order by (lower(email) = lower($2)) is true desc limit 1""";
    private static final String FIND_BY_ID = """
            select user_id, org_id, user_name, email, given_name, family_name, active, group_ids from login_user
            where user_id = $1""";
    // nothing when the e-mail's identity appeared meanwhile (unique per organization and e-mail): that one is used
    private static final String ADD_JIT_USER = """
            insert into login_user (user_id, org_id, user_name, email, given_name, family_name, active, source)
            values ($1, $2, $3, $3, $4, $5, true, 'jit') on conflict do nothing
            returning user_id, org_id, user_name, email, given_name, family_name, active, group_ids""";
    private static final String GROUP_NAMES = """
            select display_name from login_group where org_id = $1 and id = any($2) order by display_name""";

    private final Pool pool;
    private final IncomingEvents events;
    private final Sessions sessions;

    public LoginDirectory(Pool pool, IncomingEvents events, Sessions sessions) {
        this.pool = pool;
        this.events = events;
        this.sessions = sessions;
    }

    @Incoming("directory")
    public Uni<Void> onDirectoryEvent(ConsumerRecord<String, String> record) {
        return events.apply(record, pool, this::apply);
    }

    Uni<Void> apply(SqlConnection transaction, EventEnvelope event) {
        UUID org = event.orgId().value();
        if (event.payload() instanceof UserState user) {
            Uni<Void> upsert = takeOver(transaction, org, user)
                    .chain(() -> transaction.preparedQuery(UPSERT_USER).execute(Tuple.of(user.id(), org,
                            user.userName(), user.email(), user.givenName(), user.familyName())
                            .addBoolean(user.active()).addArrayOfUUID(user.groupIds().toArray(UUID[]::new))))
                    .replaceWithVoid();
            return user.active() ? upsert
                    : upsert.chain(() -> sessions.revokeUser(transaction, user.id(), "user-inactive"));
        }
        if (event.payload() instanceof UserDeleted deleted) {
            return transaction.preparedQuery(DELETE_USER).execute(Tuple.of(deleted.id()))
                    .chain(() -> sessions.revokeUser(transaction, deleted.id(), "user-deleted"));
        }
        if (event.payload() instanceof GroupState group) {
            return transaction.preparedQuery(UPSERT_GROUP).execute(Tuple.of(group.id(), org, group.displayName()))
                    .replaceWithVoid();
        }
        if (event.payload() instanceof GroupDeleted group) {
            return transaction.preparedQuery(DELETE_GROUP).execute(Tuple.of(group.id())).replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }

    /** Makes the directory user the one identity for their e-mail: just-in-time twins and their sessions join it. */
    private Uni<Void> takeOver(SqlConnection transaction, UUID org, UserState user) {
        return transaction.preparedQuery(TAKE_OVER_JUST_IN_TIME)
                .execute(Tuple.of(org, user.id(), user.email(), user.userName()))
                .chain(taken -> sessions.transfer(transaction, ids(taken), user.id()))
                .chain(() -> transaction.preparedQuery(RELEASE_EMAIL).execute(Tuple.of(org, user.email(), user.id())))
                .replaceWithVoid();
    }

    /** The user of this organization whose e-mail (else userName) is {@code subject}, or null. */
    public Uni<LoginUser> find(UUID orgId, String subject) {
        return pool.preparedQuery(FIND).execute(Tuple.of(orgId, subject))
                .map(rows -> rows.size() == 0 ? null : user(rows.iterator().next()));
    }

    public Uni<LoginUser> byId(UUID userId) {
        return pool.preparedQuery(FIND_BY_ID).execute(Tuple.of(userId))
                .map(rows -> rows.size() == 0 ? null : user(rows.iterator().next()));
    }

    /**
     * Signs in someone the directory does not know yet, where the organization allows just-in-time users; if their
     * e-mail's identity appeared meanwhile (a parallel sign-in, a directory event), that one, active or not.
     */
    public Uni<LoginUser> addJustInTime(UUID orgId, String email, String givenName, String familyName) {
        return pool.preparedQuery(ADD_JIT_USER)
                .execute(Tuple.of(UUID.randomUUID(), orgId, email, givenName, familyName))
                .chain(rows -> rows.size() > 0 ? Uni.createFrom().item(user(rows.iterator().next()))
                        : find(orgId, email));
    }

    public Uni<List<String>> groupNames(LoginUser user) {
        if (user.groupIds().isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery(GROUP_NAMES).execute(Tuple.of(user.orgId(), user.groupIds().toArray(UUID[]::new)))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                        .map(row -> row.getString("display_name")).toList());
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
