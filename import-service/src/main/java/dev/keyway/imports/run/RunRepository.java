package dev.keyway.imports.run;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Runs and their outcomes. Queries only (the snapshot the next run compares with: {@link PulledDirectory}). */
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
    public Uni<Boolean> succeed(SqlConnection transaction, UUID runId, DiffCounts diff, int groups,
            List<String> skipped) {
        return transaction.preparedQuery(SUCCEEDED).execute(Tuple.from(List.of(runId, diff.seen(), diff.created(),
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
