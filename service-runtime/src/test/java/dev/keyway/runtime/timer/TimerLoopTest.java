package dev.keyway.runtime.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * The loop behind the outbox relay and the SET push: a wake runs the next cycle at once instead of after its pause,
 * a wake during a cycle reaches the pacing, a failed cycle does not end the loop, and stop waits for the cycle in
 * flight. Every cycle here would otherwise wait an hour, so nothing passes by timing.
 */
class TimerLoopTest {

    private static final Duration AN_HOUR = Duration.ofHours(1);
    private static final long WAIT_SECONDS = 10;

    private final Vertx vertx = Vertx.vertx();
    /** Each cycle takes the next future from here and ends when it completes. */
    private final BlockingQueue<CompletableFuture<Duration>> cycles = new LinkedBlockingQueue<>();
    /** What the pacing saw after each cycle: woken, woken during it. */
    private final BlockingQueue<List<Boolean>> paced = new LinkedBlockingQueue<>();

    private TimerLoop loop;

    @AfterEach
    void close() {
        if (loop != null) {
            loop.stop(Duration.ofSeconds(1));
        }
        vertx.closeAndAwait();
    }

    private TimerLoop loop(Duration failurePause) {
        return new TimerLoop(vertx, () -> {
            CompletableFuture<Duration> cycle = new CompletableFuture<>();
            cycles.add(cycle);
            return Uni.createFrom().completionStage(cycle);
        }, failure -> failurePause, (pause, woken, wokenDuringCycle) -> {
            paced.add(List.of(woken, wokenDuringCycle));
            return pause;
        });
    }

    private CompletableFuture<Duration> nextCycle() throws InterruptedException {
        CompletableFuture<Duration> cycle = cycles.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(cycle != null, "a cycle ran");
        return cycle;
    }

    @Test
    void aWakeRunsTheNextCycleNowAndAWakeDuringACycleReachesThePacing() throws InterruptedException {
        loop = loop(AN_HOUR);
        loop.start(Duration.ZERO);
        nextCycle().complete(AN_HOUR);
        assertEquals(List.of(false, false), paced.poll(WAIT_SECONDS, TimeUnit.SECONDS));

        loop.wake();
        CompletableFuture<Duration> woken = nextCycle();
        loop.wake();
        woken.complete(Duration.ZERO);
        assertEquals(List.of(true, true), paced.poll(WAIT_SECONDS, TimeUnit.SECONDS));

        // the pause asked for was zero: the loop goes on by itself
        nextCycle().complete(AN_HOUR);
        assertEquals(List.of(false, false), paced.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aFailedCycleIsFollowedByTheFailurePauseAndTheLoopGoesOn() throws InterruptedException {
        loop = loop(Duration.ZERO);
        loop.start(Duration.ZERO);
        nextCycle().completeExceptionally(new IllegalStateException("a bug"));
        assertEquals(List.of(false, false), paced.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        nextCycle().complete(AN_HOUR);
        assertEquals(List.of(false, false), paced.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void stopWaitsForTheCycleInFlightAndStartsNoMore() throws InterruptedException {
        loop = loop(AN_HOUR);
        loop.start(Duration.ZERO);
        CompletableFuture<Duration> inFlight = nextCycle();
        assertFalse(loop.stop(Duration.ofMillis(1)), "the cycle is still running");
        assertFalse(loop.isRunning());

        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> loop.stop(Duration.ofSeconds(30)));
        inFlight.complete(Duration.ZERO);
        assertTrue(stopped.join(), "stop returned once the cycle ended");
        loop.wake();
        assertTrue(cycles.isEmpty(), "no cycle after stop");
    }
}
