package dev.keyway.imports.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response.Status;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.ImportedUser;
import dev.keyway.common.event.ImportedUserLeft;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.imports.config.ImportsConfig;
import dev.keyway.imports.integration.Integration;
import dev.keyway.imports.integration.IntegrationRepository;
import dev.keyway.imports.integration.Integrations;
import dev.keyway.imports.jumpcloud.JumpCloudException;
import dev.keyway.imports.run.DirectoryPull.Pulled;
import dev.keyway.imports.run.PulledDirectory.Difference;
import dev.keyway.runtime.deployment.Deployment;
import dev.keyway.runtime.outbox.Outbox;
import dev.keyway.runtime.outbox.Outbox.Draft;
import dev.keyway.runtime.problem.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs imports. A run holds a PostgreSQL advisory lock on its integration for its whole length, on a connection of
 * its own, so with several replicas an integration runs on one at a time (and a replica that dies releases it with
 * its connection). It reads everything from JumpCloud into that connection's temporary tables first and changes
 * nothing until then; the events, the new snapshot and the run's outcome are then committed in one transaction. A
 * run that cannot finish leaves no half-applied state: the next one compares with the last successful snapshot again.
 * <p>
 * At most {@code keyway.imports.max-concurrent-runs} runs execute at once per replica (later ones wait their turn).
 * Everything is reactive; only the conversion of events to JSON goes to Quarkus' managed executor.
 */
@ApplicationScoped
public class ImportRunner {

    private static final Logger LOG = Logger.getLogger(ImportRunner.class);

    private static final String TRY_LOCK = "select pg_try_advisory_lock(hashtextextended($1, 0)) as locked";
    private static final String UNLOCK = "select pg_advisory_unlock(hashtextextended($1, 0))";
    /** Events per outbox statement, and users of the difference in memory at once. */
    private static final int EVENT_CHUNK = 1_000;

    private final Pool pool;
    private final Integrations integrations;
    private final IntegrationRepository repository;
    private final RunRepository runs;
    private final DirectoryPull pull;
    private final PulledDirectory staged;
    private final Outbox outbox;
    private final Deployment deployment;
    private final ImportsConfig config;
    private final MeterRegistry meters;
    private final ManagedExecutor executor;
    private final AtomicInteger active = new AtomicInteger();
    /** Runs handed over, in order; at most {@code max-concurrent-runs} of them execute at once, the rest wait. */
    private BoundedExecution<Run> queue;
    private volatile boolean stopping;

    public ImportRunner(Pool pool, Integrations integrations, IntegrationRepository repository, RunRepository runs,
            DirectoryPull pull, PulledDirectory staged, Outbox outbox, Deployment deployment, ImportsConfig config,
            MeterRegistry meters,
            ManagedExecutor executor) {
        this.pool = pool;
        this.integrations = integrations;
        this.repository = repository;
        this.runs = runs;
        this.pull = pull;
        this.staged = staged;
        this.outbox = outbox;
        this.deployment = deployment;
        this.config = config;
        this.meters = meters;
        this.executor = executor;
    }

    /** A run handed over with the connection that holds its integration's lock. */
    private record Run(Integration integration, UUID runId, SqlConnection holder, String lock) {
    }

    @PostConstruct
    void startQueue() {
        queue = new BoundedExecution<>(config.maxConcurrentRuns(), this::execute);
    }

    /** Runs in progress on this replica. */
    public int active() {
        return active.get();
    }

    /**
     * Starts a run and answers with it (status {@code running}) while it goes on in the background; fails with 409
     * if the integration is running already, here or on another replica.
     */
    public Uni<ImportRun> start(Integration integration, String trigger) {
        if (stopping) {
            return Uni.createFrom().failure(new ApiException(Status.SERVICE_UNAVAILABLE, "shutting-down",
                    "This replica is shutting down; try again."));
        }
        String lock = "keyway-import:" + integration.id();
        return pool.getConnection().chain(holder -> holder.preparedQuery(TRY_LOCK).execute(Tuple.of(lock))
                .map(rows -> rows.iterator().next().getBoolean("locked"))
                .chain(locked -> locked ? handOver(integration, trigger, holder, lock)
                        : Uni.createFrom().failure(ApiException.conflict(
                                "Integration " + integration.id() + " is running already.")))
                .onFailure().call(() -> release(holder, lock)))
                .chain(runId -> runs.find(integration.id(), runId));
    }

    /** Records the run and its next scheduled start, then queues it with the lock's connection. */
    private Uni<UUID> handOver(Integration integration, String trigger, SqlConnection holder, String lock) {
        UUID runId = UUID.randomUUID();
        return pool.withTransaction(transaction -> runs.start(transaction, runId, integration.id(), trigger)
                .chain(() -> repository.schedule(transaction, integration.id(), nextRun(integration))))
                .invoke(() -> {
                    active.incrementAndGet();
                    queue.submit(new Run(integration, runId, holder, lock));
                })
                .replaceWith(runId);
    }

    /** One run, start to end; never fails (a failure is the run's outcome) and always releases the lock. */
    private Uni<Void> execute(Run run) {
        Integration integration = run.integration();
        UUID runId = run.runId();
        SqlConnection holder = run.holder();
        long started = System.nanoTime();
        Uni<Void> outcome = stopping
                ? fail(integration, runId, "Interrupted: the replica stopped before the run began.")
                : staged.stage(holder)
                        .chain(() -> pull.read(holder, integration.id(), integrations.credentials(integration),
                                integration.groups()))
                        .chain(pulled -> commit(integration, runId, holder, pulled, started))
                        .onFailure().recoverWithUni(failure -> {
                            if (failure instanceof JumpCloudException) {
                                return fail(integration, runId, failure.getMessage());
                            }
                            LOG.errorf(failure, "Import %s run %s failed", integration.id(), runId);
                            return fail(integration, runId, "An unexpected error stopped the run; it has been logged.");
                        });
        return outcome
                .onFailure().invoke(e -> LOG.warnf("Import %s run %s: recording its outcome failed: %s",
                        integration.id(), runId, e.getMessage()))
                .onFailure().recoverWithNull()
                .onTermination().call(() -> {
                    active.decrementAndGet();
                    return staged.unstage(holder).onFailure().recoverWithNull()
                            .chain(() -> release(holder, run.lock()))
                            .onFailure().invoke(e -> LOG.warnf("Releasing %s failed: %s", run.lock(), e))
                            .onFailure().recoverWithNull();
                });
    }

    /**
     * The events, the new snapshot and the run's outcome, in one transaction on the connection that staged the pull
     * (its temporary tables are visible to it alone). PostgreSQL computes the difference; the events are written a
     * chunk at a time ({@link #emit}), so a run of any size holds two chunks in memory.
     */
    private Uni<Void> commit(Integration integration, UUID runId, SqlConnection holder, Pulled pulled,
            long started) {
        OrgId org = new OrgId(integration.orgId());
        long read = System.nanoTime();
        long[] diffedAndEmitted = new long[2];
        return inTransaction(holder, transaction -> staged.diff(transaction, integration.id())
                .invoke(() -> diffedAndEmitted[0] = System.nanoTime())
                .call(diff -> emit(transaction, org, integration.id()))
                .invoke(() -> diffedAndEmitted[1] = System.nanoTime())
                .call(() -> staged.keep(transaction, integration.id()))
                .call(diff -> runs.succeed(transaction, runId, diff, pulled.groupsRead(), errors(pulled, diff))
                        .invoke(kept -> {
                            if (!kept) {
                                throw new IllegalStateException("deleted during the run");
                            }
                        })))
                .invoke(diff -> {
                    meters.counter("keyway.imports.runs", "outcome", "succeeded").increment();
                    long now = System.nanoTime();
                    LOG.infof("Import %s run %s succeeded in %d ms (JumpCloud read in %d ms, the groups' members in"
                            + " %d ms; then the difference in %d ms, its events in %d ms, the snapshot and the commit"
                            + " in %d ms): %d users seen, %d created, %d updated, %d deactivated",
                            integration.id(), runId, millis(now - started), millis(read - started),
                            pulled.membersRead().toMillis(),
                            millis(diffedAndEmitted[0] - read), millis(diffedAndEmitted[1] - diffedAndEmitted[0]),
                            millis(now - diffedAndEmitted[1]), diff.seen(), diff.created(), diff.updated(),
                            diff.deactivated());
                })
                .replaceWithVoid();
    }

    /**
     * The difference's events, a chunk after the other, in the run's transaction. Repeated, not recursive: a chunk is
     * garbage once its events are written, so a run of any size holds about two chunks: the one being written, and
     * the next, read and encoded meanwhile (the connection runs the two statements in turn, and the JVM encodes while
     * PostgreSQL writes).
     */
    private Uni<Void> emit(SqlConnection transaction, OrgId org, UUID integrationId) {
        AtomicReference<String> after = new AtomicReference<>("");
        return Multi.createBy().repeating()
                .uni(() -> staged.differences(transaction, after.get(), EVENT_CHUNK).invoke(chunk -> {
                    if (!chunk.isEmpty()) {
                        after.set(chunk.get(chunk.size() - 1).sourceUserId());
                    }
                })
                        // decoding and encoding a thousand users is CPU work: off the event loop
                        .emitOn(executor)
                        .map(chunk -> Outbox.encode(org, deployment.region(), events(integrationId, chunk))))
                .whilst(events -> events.size() == EVENT_CHUNK)
                // asks for the next chunk as soon as one is handed on to be written
                .emitOn(executor, 1)
                .onItem().transformToUniAndConcatenate(events -> outbox.appendAll(transaction, events))
                .onItem().ignoreAsUni();
    }

    /** What the run could not import, for the admin: users skipped, and members the listing missed. */
    private static List<String> errors(Pulled pulled, DiffCounts diff) {
        if (diff.unlisted() == 0) {
            return pulled.skipped();
        }
        List<String> errors = new ArrayList<>(pulled.skipped());
        errors.add(diff.unlisted() + " member(s) of the selected groups were missing from JumpCloud's list of users"
                + " (the directory changed while it was read); they keep their last imported state until a run reads"
                + " them.");
        return errors;
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    /** The work and its commit on one connection, rolled back if it fails. */
    private static <T> Uni<T> inTransaction(SqlConnection connection, Function<SqlConnection, Uni<T>> work) {
        return connection.begin().chain(transaction -> work.apply(connection)
                .call(transaction::commit)
                .onFailure().call(() -> transaction.rollback().onFailure().recoverWithNull()));
    }

    private Uni<Void> fail(Integration integration, UUID runId, String error) {
        meters.counter("keyway.imports.runs", "outcome", "failed").increment();
        LOG.warnf("Import %s run %s failed: %s", integration.id(), runId, error);
        return runs.fail(runId, error).replaceWithVoid();
    }

    private static List<Draft> events(UUID integrationId, List<Difference> chunk) {
        List<Draft> events = new ArrayList<>(chunk.size());
        for (Difference difference : chunk) {
            String aggregate = aggregate(integrationId, difference.sourceUserId());
            if (difference.state() == null) {
                ImportedUser before = EventCodec.decodePayload(difference.before(), ImportedUser.class);
                events.add(new Draft(EventType.IMPORT_USER_LEFT, aggregate, new ImportedUserLeft(integrationId,
                        difference.sourceUserId(), before.email(),
                        difference.listed() ? DiffCounts.REMOVED_FROM_GROUPS : DiffCounts.DELETED)));
            } else {
                events.add(new Draft(difference.before() == null ? EventType.IMPORT_USER_IMPORTED
                        : EventType.IMPORT_USER_CHANGED, aggregate,
                        EventCodec.decodePayload(difference.state(), ImportedUser.class)));
            }
        }
        return events;
    }

    /** One imported user's events stay in order: they share the Kafka key and the sequence. */
    private static String aggregate(UUID integrationId, String sourceUserId) {
        return "import:" + integrationId + ":" + sourceUserId;
    }

    /** The scheduled start after this one, spread by up to a tenth of the interval (at most the configured jitter). */
    private Instant nextRun(Integration integration) {
        Duration spread = integration.interval().dividedBy(10);
        if (spread.compareTo(config.maxJitter()) > 0) {
            spread = config.maxJitter();
        }
        return Instant.now().plus(integration.interval())
                .plusMillis(ThreadLocalRandom.current().nextLong(spread.toMillis() + 1));
    }

    private static Uni<Void> release(SqlConnection holder, String lock) {
        return holder.preparedQuery(UNLOCK).execute(Tuple.of(lock)).replaceWithVoid()
                .eventually(holder::close);
    }

    /**
     * Takes no new run and lets the running ones finish, for up to {@code keyway.imports.shutdown-grace}; runs still
     * going then are abandoned: their locks go with the connections, and the next run records them as interrupted.
     */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (!queue.close(config.shutdownGrace())) {
            LOG.warnf("%d import run(s) still running at shutdown; they will be recorded as interrupted", active.get());
        }
    }
}
