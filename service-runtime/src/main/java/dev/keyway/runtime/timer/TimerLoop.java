package dev.keyway.runtime.timer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Runs a reactive cycle again and again on a Vert.x timer, one cycle at a time, each pausing as long as the cycle
 * asks: the background loop of a bean that owns no thread. Waiting between cycles holds no thread at all, and the
 * scheduler is not used because it cannot tick faster than a second and has no backoff.
 *
 * <p>{@link #wake()} runs the next cycle now instead of after its pause; a wake during a cycle is remembered and
 * handed, with a wake before it, to the {@link Pacing} that may shorten the next pause.
 */
public final class TimerLoop {

    /** Decides the pause after a cycle from the pause it asked for and the wakes it saw; called under the loop's lock. */
    @FunctionalInterface
    public interface Pacing {

        /**
         * @param pause what the cycle (or the failure handler) asked for
         * @param woken whether the cycle that just ended was started by {@link #wake()}
         * @param wokenDuringCycle whether {@link #wake()} was called while it ran
         */
        Duration next(Duration pause, boolean woken, boolean wokenDuringCycle);
    }

    private final Vertx vertx;
    private final Supplier<Uni<Duration>> cycle;
    private final Function<Throwable, Duration> onFailure;
    private final Pacing pacing;

    private volatile boolean running;
    /** The pending timer, or -1; guarded by this. */
    private long timer = -1;
    /** Completes when the cycle in flight has ended; guarded by this. */
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    /** Whether a cycle is in flight, and whether it was woken before or during it; guarded by this. */
    private boolean cycling;
    private boolean woken;
    private boolean wokenDuringCycle;

    /**
     * @param cycle one cycle; its item is the pause before the next
     * @param onFailure the pause after a cycle that failed (it may log the failure); the loop keeps going
     */
    public TimerLoop(Vertx vertx, Supplier<Uni<Duration>> cycle, Function<Throwable, Duration> onFailure) {
        this(vertx, cycle, onFailure, (pause, woken, wokenDuringCycle) -> pause);
    }

    public TimerLoop(Vertx vertx, Supplier<Uni<Duration>> cycle, Function<Throwable, Duration> onFailure,
            Pacing pacing) {
        this.vertx = vertx;
        this.cycle = cycle;
        this.onFailure = onFailure;
        this.pacing = pacing;
    }

    /** Starts the loop: its first cycle runs after {@code pause}. */
    public void start(Duration pause) {
        synchronized (this) {
            running = true;
            setTimer(pause);
        }
    }

    /** False once {@link #stop(Duration)} was called: a cycle may cut its work short. */
    public boolean isRunning() {
        return running;
    }

    /** Runs the next cycle now, unless one is in flight (then it is remembered for the pacing). */
    public synchronized void wake() {
        if (!running) {
            return;
        }
        if (cycling) {
            wokenDuringCycle = true;
        } else if (timer >= 0 && vertx.cancelTimer(timer)) {
            woken = true;
            timer = vertx.setTimer(1, id -> cycle());
        }
    }

    /**
     * Starts no more cycles and lets the one in flight finish within {@code wait}.
     *
     * @return whether it did (false: it is still running)
     */
    public boolean stop(Duration wait) {
        CompletableFuture<Void> last;
        synchronized (this) {
            running = false;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            last = inFlight;
        }
        try {
            last.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private synchronized void schedule(Duration pause) {
        cycling = false;
        Duration next = pacing.next(pause, woken, wokenDuringCycle);
        woken = false;
        wokenDuringCycle = false;
        if (running) {
            setTimer(next);
        }
    }

    /** Guarded by this. */
    private void setTimer(Duration pause) {
        // Vert.x timers need at least 1 ms
        timer = vertx.setTimer(Math.max(1, pause.toMillis()), id -> cycle());
    }

    private void cycle() {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        synchronized (this) {
            timer = -1;
            if (!running) {
                return;
            }
            inFlight = finished;
            cycling = true;
        }
        Uni<Duration> started;
        try {
            started = cycle.get();
        } catch (RuntimeException e) {
            started = Uni.createFrom().failure(e);
        }
        started.subscribe().with(pause -> {
            finished.complete(null);
            schedule(pause);
        }, failure -> {
            finished.complete(null);
            schedule(onFailure.apply(failure));
        });
    }
}
