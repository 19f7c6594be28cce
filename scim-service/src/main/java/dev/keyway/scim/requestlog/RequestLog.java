package dev.keyway.scim.requestlog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.runtime.timer.TimerLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * The SCIM request log, written off the request's path: {@link #record} only puts the entry into a bounded queue in
 * memory; a {@link TimerLoop} writes what waits every {@code flush-interval} (woken sooner once {@code batch-size}
 * entries wait), one multi-row INSERT per batch, one flush at a time so batches are written in order and never twice.
 * <p>
 * What may be lost, and why that is acceptable here: entries still waiting when the process dies (at most one flush
 * interval's worth; a graceful shutdown writes them), entries arriving while the queue is full (the database slow
 * or away; counted in {@code keyway.scim.request.log.dropped}), and a batch whose INSERT failed. This is a log for
 * the owner to see what JumpCloud sent; nothing depends on it, so a gap costs a little insight. Writing it in the
 * request's own transaction would cost every SCIM request a statement and make SCIM fail when the log cannot be
 * written. The user store is the opposite: there a lost write is a wrong directory, so it is written before the
 * answer, in the transaction of the change.
 */
@ApplicationScoped
public class RequestLog {

    private static final Logger LOG = Logger.getLogger(RequestLog.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private final RequestLogRepository repository;
    private final KnownOrganizations organizations;
    private final RequestLogConfig config;
    private final Counter dropped;
    private final MinuteAllowance allowance;
    private final Queue<ScimRequest> waiting = new ConcurrentLinkedQueue<>();
    /** How many entries {@link #waiting} holds (a ConcurrentLinkedQueue counts by walking). */
    private final AtomicInteger size = new AtomicInteger();
    /** About how many bytes the entries of {@link #waiting} hold ({@link ScimRequest#approximateBytes()}). */
    private final AtomicLong bytes = new AtomicLong();
    private final long maxBytes;
    private final TimerLoop loop;

    public RequestLog(RequestLogRepository repository, KnownOrganizations organizations, RequestLogConfig config,
            Vertx vertx, MeterRegistry meters) {
        this.repository = repository;
        this.organizations = organizations;
        this.config = config;
        this.dropped = meters.counter("keyway.scim.request.log.dropped");
        this.allowance = new MinuteAllowance(config.perOrganizationPerMinute());
        this.maxBytes = config.maxWaitingBytes().asLongValue();
        this.loop = new TimerLoop(vertx, () -> writeAll().replaceWith(config.flushInterval()), failure -> {
            LOG.debugf("SCIM request log flush: %s", failure.getMessage());
            return config.flushInterval();
        });
    }

    void start(@Observes StartupEvent started) {
        loop.start(config.flushInterval());
    }

    /** Writes what still waits, for as long as a flush may take, so a graceful shutdown loses nothing. */
    void stop(@Observes ShutdownEvent stopping) {
        if (loop.stop(SHUTDOWN_WAIT)) {
            writeAll().ifNoItem().after(SHUTDOWN_WAIT).recoverWithItem((Void) null).await().indefinitely();
        }
        if (size.get() > 0) {
            LOG.warnf("SCIM request log: %d entries not written at shutdown", size.get());
        }
    }

    /**
     * Queues one entry; no I/O. An entry that does not fit (by count or by bytes), or is beyond its organization's
     * allowance, is dropped and counted.
     */
    public void record(ScimRequest entry) {
        if (!allowance.take(entry.orgId(), System.currentTimeMillis())) {
            dropped.increment();
            return;
        }
        long entryBytes = entry.approximateBytes();
        if (size.incrementAndGet() > config.capacity()) {
            size.decrementAndGet();
            dropped.increment();
            return;
        }
        if (bytes.addAndGet(entryBytes) > maxBytes) {
            bytes.addAndGet(-entryBytes);
            size.decrementAndGet();
            dropped.increment();
            return;
        }
        waiting.add(entry);
        if (size.get() >= config.batchSize()) {
            loop.wake();
        }
    }

    /** How many entries wait in memory. */
    int waiting() {
        return size.get();
    }

    /** The organization's entries that match, newest first (those still waiting in memory are not yet among them). */
    public Uni<List<ScimRequest>> search(String slug, Instant since, Instant until, String user, Boolean succeeded,
            int limit) {
        return organizations.homedHere(slug).chain(org -> repository
                .find(new RequestLogRepository.Query(org.id(), since, until, user, succeeded, limit)));
    }

    /** Writes what waits, a batch per INSERT, until nothing does. */
    private Uni<Void> writeAll() {
        List<ScimRequest> batch = new ArrayList<>(Math.min(size.get(), config.batchSize()));
        ScimRequest entry;
        long batchBytes = 0;
        while (batch.size() < config.batchSize() && (entry = waiting.poll()) != null) {
            batch.add(entry);
            batchBytes += entry.approximateBytes();
        }
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        size.addAndGet(-batch.size());
        bytes.addAndGet(-batchBytes);
        return repository.insert(batch)
                .onFailure().invoke(failure -> {
                    // retrying would hold ever more in memory while the database is away; the log keeps a gap
                    dropped.increment(batch.size());
                    LOG.warnf("SCIM request log: %d entries not written: %s", batch.size(), failure.getMessage());
                })
                .onFailure().recoverWithNull()
                .chain(() -> size.get() > 0 ? writeAll() : Uni.createFrom().voidItem());
    }

    /** Deletes entries older than {@code keyway.scim.request-log.retention}, a batch at a time. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expire() {
        return expireBatch(0).invoke(deleted -> {
            if (deleted > 0) {
                LOG.infof("Deleted %d SCIM request log entries older than %s", deleted, config.retention());
            }
        }).replaceWithVoid();
    }

    private Uni<Integer> expireBatch(int sofar) {
        return repository.expire(config.retention()).chain(deleted -> deleted < 5000
                ? Uni.createFrom().item(sofar + deleted)
                : expireBatch(sofar + deleted));
    }
}
