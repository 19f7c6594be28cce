package dev.keyway.imports.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.runtime.outbox.Outbox.Prepared;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What a run reads from JumpCloud, staged in temporary tables of the connection that holds the run's lock, with each
 * listed user's change since the last successful run's snapshot and its event, prepared as the pages arrive. A
 * directory of any size is never held in memory: the pull writes pages as they arrive, a thousand rows per statement,
 * and the commit moves the prepared events into the outbox in one statement. Temporary tables are private to the
 * connection, never logged, and gone with it; nothing in them is state until the run's transaction copies it into
 * {@code import_snapshot} and the outbox. Queries only.
 */
@ApplicationScoped
public class PulledDirectory {

    // Names no permanent table of the schema uses: pg_temp is searched first, so they must not shadow one.
    private static final String STAGE = """
            create temp table if not exists import_pulled_member (user_id text not null, target text not null);
            create temp table if not exists import_pulled_target (user_id text primary key, targets text[] not null);
            create temp table if not exists import_pulled_user (user_id text primary key, state text, change text,
                event_id uuid, topic text, event_type text, aggregate_id text, head text, tail text);
            create temp table if not exists import_pulled_deleted (user_id text primary key, before text not null);
            truncate import_pulled_member, import_pulled_target, import_pulled_user, import_pulled_deleted""";
    private static final String UNSTAGE = "drop table if exists import_pulled_member, import_pulled_target, "
            + "import_pulled_user, import_pulled_deleted";
    /** The memberships as they arrive, unindexed: appending is all the groups' pages wait for. */
    private static final String MEMBERS = """
            insert into import_pulled_member (user_id, target) select * from unnest($1::text[], $2::text[])""";
    /**
     * Each member's targets in one row, once every group is read: one sort of the memberships instead of an index
     * kept up by every insert, and a lookup per user instead of scattered rows. Autovacuum never analyses temporary
     * tables: without statistics the planner once guessed a scan of every row for each batch of users.
     */
    private static final String MEMBERS_STAGED = """
            insert into import_pulled_target (user_id, targets)
            select user_id, array_agg(distinct target) from import_pulled_member group by user_id;
            analyze import_pulled_target""";
    /** What a batch of listed users needs to be compared: their targets, and their state in the snapshot. */
    private static final String LISTING = """
            select u.user_id, t.targets, s.state as before
            from unnest($2::text[]) as u(user_id)
            left join import_pulled_target t on t.user_id = u.user_id
            left join import_snapshot s on s.integration_id = $1 and s.source_user_id = u.user_id
            where t.user_id is not null or s.source_user_id is not null""";
    /**
     * A user listed twice (the directory changed between pages) is kept once, as last read, with the change and the
     * event of that listing, also when both listings are in one batch (an upsert may not touch a row twice).
     */
    private static final String USERS = """
            insert into import_pulled_user (user_id, state, change, event_id, topic, event_type, aggregate_id, head,
                tail)
            select distinct on (user_id) user_id, state, change, event_id, topic, event_type, aggregate_id, head, tail
            from unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[],
                    $8::text[], $9::text[])
                with ordinality as u(user_id, state, change, event_id, topic, event_type, aggregate_id, head, tail,
                    listing)
            order by user_id, listing desc
            on conflict (user_id) do update set state = excluded.state, change = excluded.change,
                event_id = excluded.event_id, topic = excluded.topic, event_type = excluded.event_type,
                aggregate_id = excluded.aggregate_id, head = excluded.head, tail = excluded.tail""";
    private static final String ANALYZE_USERS = "analyze import_pulled_user";
    /**
     * The users of the snapshot that no page listed and no selected group holds: deleted in JumpCloud. A member of a
     * selected group whom no page of users listed was not deleted but skipped: a user deleted while the pages are read
     * moves every later one up a place, so the page after it starts one user late. They stay as the snapshot has them
     * until a run reads them.
     */
    private static final String DELETED = """
            insert into import_pulled_deleted (user_id, before)
            select s.source_user_id, s.state from import_snapshot s
            where s.integration_id = $1
                and not exists (select 1 from import_pulled_user p where p.user_id = s.source_user_id)
                and not exists (select 1 from import_pulled_target t where t.user_id = s.source_user_id)""";
    private static final String COUNTS = """
            select count(*) filter (where change = 'imported') as created,
                count(*) filter (where change in ('changed', 'deactivated')) as changed,
                count(*) filter (where change = 'removed') + (select count(*) from import_pulled_deleted) as left_groups,
                count(*) filter (where change = 'deactivated') as became_inactive,
                count(*) filter (where state is not null) as seen,
                (select count(*) from import_pulled_target t
                    where not exists (select 1 from import_pulled_user p where p.user_id = t.user_id)) as unlisted
            from import_pulled_user""";
    /** The events prepared while the pages were read, for {@link dev.keyway.runtime.outbox.Outbox#appendStaged}. */
    public static final String PREPARED_EVENTS = """
            select event_id, topic, event_type, aggregate_id, head, tail from import_pulled_user
            where event_id is not null""";
    private static final String DELETED_CHUNK = """
            select user_id, before from import_pulled_deleted where user_id > $1 order by user_id limit $2""";
    private static final String KEEP = """
            insert into import_snapshot (integration_id, source_user_id, state)
            select $1, user_id, state from import_pulled_user where change is not null and state is not null
            on conflict (integration_id, source_user_id) do update set state = excluded.state""";
    private static final String FORGET = """
            delete from import_snapshot s
            where s.integration_id = $1 and (
                s.source_user_id in (select user_id from import_pulled_user where change = 'removed')
                or s.source_user_id in (select user_id from import_pulled_deleted))""";

    /** How a listed user differs from the snapshot, as the run counts it. */
    public enum Change {

        /** New to the selected groups. */
        IMPORTED,
        /** Their record or groups changed. */
        CHANGED,
        /** Changed, and active no more (suspended, deactivated). */
        DEACTIVATED,
        /** Still in the directory, no longer in any selected group (or no longer importable). */
        REMOVED;

        String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A listed user: their state as imported (null outside the selected groups), and, where it differs from the
     * snapshot, how and its event, prepared.
     */
    public record Listed(String userId, String state, Change change, Prepared event) {
    }

    /** A user of the snapshot deleted from JumpCloud, with their last imported state. */
    public record Deleted(String sourceUserId, String before) {
    }

    /** Empty staging tables on this connection, for one run. */
    public Uni<Void> stage(SqlConnection connection) {
        return connection.query(STAGE).execute().replaceWithVoid();
    }

    /** Drops the staging tables, so the connection goes back to the pool without them. */
    public Uni<Void> unstage(SqlConnection connection) {
        return connection.query(UNSTAGE).execute().replaceWithVoid();
    }

    /** A member of a selected JumpCloud group, and the Keyway group they land in through it. */
    public record Member(String userId, String target) {
    }

    public Uni<Void> members(SqlConnection connection, List<Member> members) {
        return members.isEmpty() ? Uni.createFrom().voidItem()
                : connection.preparedQuery(MEMBERS).execute(Tuple.of(
                        members.stream().map(Member::userId).toArray(String[]::new),
                        members.stream().map(Member::target).toArray(String[]::new)))
                        .replaceWithVoid();
    }

    /** Gathers each member's targets, once every member is staged. */
    public Uni<Void> membersStaged(SqlConnection connection) {
        return connection.query(MEMBERS_STAGED).execute().replaceWithVoid();
    }

    /** What the run knows of a listed user before comparing: their targets (none outside the selected groups) and
     * their state in the snapshot (null for one new to it). */
    public record Known(List<String> targets, String before) {
    }

    /** Of these users, those in a selected group or in the snapshot (the others are absent). */
    public Uni<Map<String, Known>> known(SqlConnection connection, UUID integrationId, List<String> userIds) {
        return connection.preparedQuery(LISTING).execute(Tuple.of(integrationId, userIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Known> known = new HashMap<>();
                    for (Row row : rows) {
                        String[] targets = row.getArrayOfStrings("targets");
                        known.put(row.getString("user_id"),
                                new Known(targets == null ? List.of() : List.of(targets), row.getString("before")));
                    }
                    return known;
                });
    }

    /** A batch of listed users, in the order they were listed. */
    public Uni<Void> users(SqlConnection connection, List<Listed> users) {
        if (users.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int size = users.size();
        String[] ids = new String[size];
        String[] states = new String[size];
        String[] changes = new String[size];
        UUID[] eventIds = new UUID[size];
        String[] topics = new String[size];
        String[] types = new String[size];
        String[] aggregates = new String[size];
        String[] heads = new String[size];
        String[] tails = new String[size];
        for (int i = 0; i < size; i++) {
            Listed user = users.get(i);
            ids[i] = user.userId();
            states[i] = user.state();
            if (user.change() != null) {
                Prepared event = user.event();
                changes[i] = user.change().column();
                eventIds[i] = event.id();
                topics[i] = event.topic();
                types[i] = event.type();
                aggregates[i] = event.aggregateId();
                heads[i] = event.head();
                tails[i] = event.tail();
            }
        }
        return connection.preparedQuery(USERS).execute(Tuple.tuple().addArrayOfString(ids).addArrayOfString(states)
                .addArrayOfString(changes).addArrayOfUUID(eventIds).addArrayOfString(topics).addArrayOfString(types)
                .addArrayOfString(aggregates).addArrayOfString(heads).addArrayOfString(tails))
                .replaceWithVoid();
    }

    /**
     * Once every page is staged: finds who was deleted from JumpCloud, and counts the run's changes. In the run's
     * transaction.
     */
    public Uni<DiffCounts> settle(SqlConnection transaction, UUID integrationId) {
        return transaction.query(ANALYZE_USERS).execute()
                .chain(() -> transaction.preparedQuery(DELETED).execute(Tuple.of(integrationId)))
                .chain(() -> transaction.preparedQuery(COUNTS).execute())
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new DiffCounts(row.getInteger("seen"), row.getInteger("created"),
                            row.getInteger("changed"), row.getInteger("left_groups"),
                            row.getInteger("became_inactive"), row.getInteger("unlisted"));
                });
    }

    /** Up to {@code limit} deleted users after {@code afterUserId} ("" for the first), in id order. */
    public Uni<List<Deleted>> deleted(SqlConnection transaction, String afterUserId, int limit) {
        return transaction.preparedQuery(DELETED_CHUNK).execute(Tuple.of(afterUserId, limit)).map(rows -> {
            List<Deleted> chunk = new ArrayList<>(rows.size());
            for (Row row : rows) {
                chunk.add(new Deleted(row.getString("user_id"), row.getString("before")));
            }
            return chunk;
        });
    }

    /** Makes the snapshot what this run saw, in the run's transaction. */
    public Uni<Void> keep(SqlConnection transaction, UUID integrationId) {
        return transaction.preparedQuery(KEEP).execute(Tuple.of(integrationId))
                .chain(() -> transaction.preparedQuery(FORGET).execute(Tuple.of(integrationId)))
                .replaceWithVoid();
    }
}
