package dev.keyway.imports.run;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.ImportedUser;
import dev.keyway.common.event.ImportedUserLeft;
import dev.keyway.runtime.outbox.Batches;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Runs and the snapshot of the last successful one. Queries only. */
@ApplicationScoped
public class RunRepository {

    private static final String SELECT = """
            select r.id, r.integration_id, r.trigger, r.status, r.started_at, r.finished_at, r.users_seen,
                r.users_created, r.users_updated, r.users_deactivated, r.groups, r.errors, i.next_run_at
            from import_run r join import_integration i on i.id = r.integration_id""";
    private static final String ONE = SELECT + " where r.integration_id = $1 and r.id = $2";
    private static final String RECENT = SELECT + " where r.integration_id = $1 order by r.started_at desc limit $2";
    private static final String INTERRUPTED = """
            update import_run set status = 'failed', finished_at = now(),
                errors = errors || '["Interrupted: the replica running it stopped."]'::jsonb
            where integration_id = $1 and status = 'running'""";
    private static final String INSERT = """
            insert into import_run (id, integration_id, trigger, status, started_at)
            values ($1, $2, $3, 'running', now())""";
    private static final String SUCCEEDED = """
            update import_run set status = 'succeeded', finished_at = now(), users_seen = $2, users_created = $3,
                users_updated = $4, users_deactivated = $5, groups = $6, errors = $7 where id = $1""";
    private static final String FAILED = """
            update import_run set status = 'failed', finished_at = now(), errors = errors || $2 where id = $1""";
    private static final String SNAPSHOT = "select state from import_snapshot where integration_id = $1";
    private static final String KEEP = """
            insert into import_snapshot (integration_id, source_user_id, state) values ($1, $2, $3)
            on conflict (integration_id, source_user_id) do update set state = excluded.state""";
    private static final String FORGET = """
            delete from import_snapshot where integration_id = $1 and source_user_id = $2""";

    private final Pool pool;

    public RunRepository(Pool pool) {
        this.pool = pool;
    }

    /** Records a new run; a run still marked running holds no lock any more, so its replica died: it failed. */
    public Uni<Void> start(SqlConnection transaction, UUID runId, UUID integrationId, String trigger) {
        return transaction.preparedQuery(INTERRUPTED).execute(Tuple.of(integrationId))
                .chain(() -> transaction.preparedQuery(INSERT).execute(Tuple.of(runId, integrationId, trigger)))
                .replaceWithVoid();
    }

    /** @return false if the run (its integration) was deleted meanwhile */
    public Uni<Boolean> succeed(SqlConnection transaction, UUID runId, int seen, SnapshotDiff diff, int groups,
            List<String> skipped) {
        return transaction.preparedQuery(SUCCEEDED).execute(Tuple.from(List.of(runId, seen, diff.created(),
                diff.updated(), diff.deactivated(), groups, new JsonArray(new ArrayList<>(skipped)))))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> fail(UUID runId, String error) {
        return pool.preparedQuery(FAILED).execute(Tuple.of(runId, new JsonArray().add(error))).replaceWithVoid();
    }

    public Uni<ImportRun> find(UUID integrationId, UUID runId) {
        return pool.preparedQuery(ONE).execute(Tuple.of(integrationId, runId))
                .map(rows -> rows.size() == 0 ? null : run(rows.iterator().next()));
    }

    public Uni<List<ImportRun>> recent(UUID integrationId, int limit) {
        return pool.preparedQuery(RECENT).execute(Tuple.of(integrationId, limit)).map(rows -> {
            List<ImportRun> runs = new ArrayList<>();
            rows.forEach(row -> runs.add(run(row)));
            return runs;
        });
    }

    /** The users the last successful run imported, by JumpCloud id. */
    public Uni<Map<String, ImportedUser>> snapshot(UUID integrationId) {
        return pool.preparedQuery(SNAPSHOT).execute(Tuple.of(integrationId)).map(rows -> {
            Map<String, ImportedUser> users = new HashMap<>();
            rows.forEach(row -> {
                ImportedUser user = EventCodec.decodePayload(row.getString("state"), ImportedUser.class);
                users.put(user.sourceUserId(), user);
            });
            return users;
        });
    }

    /** Makes the snapshot what this run saw, in the run's transaction. */
    public Uni<Void> keep(SqlConnection transaction, UUID integrationId, SnapshotDiff diff) {
        List<Tuple> kept = new ArrayList<>();
        diff.imported().forEach(user -> kept.add(Tuple.of(integrationId, user.sourceUserId(),
                EventCodec.encodePayload(user))));
        diff.changed().forEach(user -> kept.add(Tuple.of(integrationId, user.sourceUserId(),
                EventCodec.encodePayload(user))));
        List<Tuple> forgotten = diff.left().stream()
                .map(ImportedUserLeft::sourceUserId).map(id -> Tuple.of(integrationId, id)).toList();
        return Batches.execute(transaction, KEEP, kept).chain(() -> Batches.execute(transaction, FORGET, forgotten));
    }

    private static ImportRun run(Row row) {
        List<String> errors = new ArrayList<>();
        JsonArray stored = (JsonArray) row.getValue("errors");
        stored.forEach(error -> errors.add(String.valueOf(error)));
        return new ImportRun(row.getUUID("id"), row.getUUID("integration_id"), row.getString("trigger"),
                row.getString("status"), instant(row.getOffsetDateTime("started_at")),
                instant(row.getOffsetDateTime("finished_at")), row.getInteger("users_seen"),
                row.getInteger("users_created"), row.getInteger("users_updated"), row.getInteger("users_deactivated"),
                row.getInteger("groups"), errors, instant(row.getOffsetDateTime("next_run_at")));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
