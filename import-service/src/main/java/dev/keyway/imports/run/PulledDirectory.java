package dev.keyway.imports.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What a run reads from JumpCloud, staged in temporary tables of the connection that holds the run's lock, and its
 * difference from the last successful run's snapshot, computed by PostgreSQL. A directory of any size is never held in
 * memory: the pull writes pages as they arrive, a thousand rows per statement, the diff is one statement, and the run reads the difference back
 * a chunk at a time. Temporary tables are private to the connection, never logged, and gone with it; nothing in them
 * is state until the run's transaction copies it into {@code import_snapshot}. Queries only.
 */
@ApplicationScoped
public class PulledDirectory {

    // Names no permanent table of the schema uses: pg_temp is searched first, so they must not shadow one.
    private static final String STAGE = """
            create temp table if not exists import_pulled_member (user_id text not null, target text not null);
            create temp table if not exists import_pulled_target (user_id text primary key, targets text[] not null);
            create temp table if not exists import_pulled_user (user_id text primary key, state text);
            create temp table if not exists import_pulled_diff (
                user_id text primary key, state text, before text, listed boolean not null);
            truncate import_pulled_member, import_pulled_target, import_pulled_user, import_pulled_diff""";
    private static final String UNSTAGE = "drop table if exists import_pulled_member, import_pulled_target, "
            + "import_pulled_user, import_pulled_diff";
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
    private static final String TARGETS = """
            select user_id, targets from import_pulled_target where user_id = any($1::text[])""";
    private static final String ANALYZE_USERS = "analyze import_pulled_user";
    /**
     * A user listed twice (the directory changed between pages) is kept once, as last read, also when both listings
     * are in one batch (an upsert may not touch a row twice).
     */
    private static final String USERS = """
            insert into import_pulled_user (user_id, state)
            select distinct on (user_id) user_id, state
            from unnest($1::text[], $2::text[]) with ordinality as u(user_id, state, listing)
            order by user_id, listing desc
            on conflict (user_id) do update set state = excluded.state""";
    /**
     * Every user whose state differs from the snapshot: new (no state before), changed (both), left (no state now;
     * {@code listed} tells one still in the directory from one deleted). Equal states are equal users: both are the
     * same encoder's JSON of the same record. A member of a selected group whom no page of users listed was not
     * deleted but skipped: a user deleted while the pages are read moves every later one up a place, so the page
     * after it starts one user late. They stay as the snapshot has them until a run reads them.
     */
    private static final String DIFF = """
            insert into import_pulled_diff (user_id, state, before, listed)
            select coalesce(p.user_id, s.source_user_id), p.state, s.state, p.user_id is not null
            from import_pulled_user p
            full join (select source_user_id, state from import_snapshot where integration_id = $1) s
                on s.source_user_id = p.user_id
            where p.state is distinct from s.state
                and (p.user_id is not null
                    or not exists (select 1 from import_pulled_target t where t.user_id = s.source_user_id))""";
    private static final String COUNTS = """
            select count(*) filter (where before is null) as created,
                count(*) filter (where state is not null and before is not null) as changed,
                count(*) filter (where state is null) as left_groups,
                count(*) filter (where state is not null and before is not null
                    and (before::jsonb ->> 'active')::boolean and not (state::jsonb ->> 'active')::boolean)
                    as became_inactive,
                (select count(*) from import_pulled_user where state is not null) as seen,
                (select count(*) from import_pulled_target t
                    where not exists (select 1 from import_pulled_user p where p.user_id = t.user_id)) as unlisted
            from import_pulled_diff""";
    private static final String CHUNK = """
            select user_id, state, before, listed from import_pulled_diff where user_id > $1
            order by user_id limit $2""";
    private static final String KEEP = """
            insert into import_snapshot (integration_id, source_user_id, state)
            select $1, user_id, state from import_pulled_diff where state is not null
            on conflict (integration_id, source_user_id) do update set state = excluded.state""";
    private static final String FORGET = """
            delete from import_snapshot s using import_pulled_diff d
            where s.integration_id = $1 and s.source_user_id = d.user_id and d.state is null""";

    /** One user of the difference: {@code state} null if they left, {@code before} null if they are new. */
    public record Difference(String sourceUserId, String state, String before, boolean listed) {
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

    /** The targets of each of these users that is a member of a selected group (the others are absent). */
    public Uni<Map<String, List<String>>> targets(SqlConnection connection, List<String> userIds) {
        return connection.preparedQuery(TARGETS).execute(Tuple.of(userIds.toArray(String[]::new))).map(rows -> {
            Map<String, List<String>> targets = new HashMap<>();
            for (Row row : rows) {
                targets.put(row.getString("user_id"), List.of(row.getArrayOfStrings("targets")));
            }
            return targets;
        });
    }

    /** Users the directory listed, with their state as imported, or null for one outside the selected groups. */
    public Uni<Void> users(SqlConnection connection, String[] userIds, String[] states) {
        return userIds.length == 0 ? Uni.createFrom().voidItem()
                : connection.preparedQuery(USERS).execute(Tuple.of(userIds, states)).replaceWithVoid();
    }

    /** Computes the difference from the integration's snapshot; the counts are the run's. */
    public Uni<DiffCounts> diff(SqlConnection transaction, UUID integrationId) {
        return transaction.query(ANALYZE_USERS).execute()
                .chain(() -> transaction.preparedQuery(DIFF).execute(Tuple.of(integrationId)))
                .chain(() -> transaction.preparedQuery(COUNTS).execute())
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new DiffCounts(row.getInteger("seen"), row.getInteger("created"),
                            row.getInteger("changed"), row.getInteger("left_groups"),
                            row.getInteger("became_inactive"), row.getInteger("unlisted"));
                });
    }

    /** Up to {@code limit} users of the difference after {@code afterUserId} ("" for the first), in id order. */
    public Uni<List<Difference>> differences(SqlConnection transaction, String afterUserId, int limit) {
        return transaction.preparedQuery(CHUNK).execute(Tuple.of(afterUserId, limit)).map(rows -> {
            List<Difference> chunk = new ArrayList<>(rows.size());
            for (Row row : rows) {
                chunk.add(new Difference(row.getString("user_id"), row.getString("state"), row.getString("before"),
                        row.getBoolean("listed")));
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
