package dev.keyway.imports.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/** Import runs execute at most max-concurrent-runs at once, in order, and shutdown waits for them. */
class BoundedExecutionTest {

    /** Each item runs until the test ends it; the order in which items started is recorded. */
    private final List<Integer> started = new CopyOnWriteArrayList<>();
    private final Map<Integer, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

    private Uni<Void> work(Integer item) {
        started.add(item);
        CompletableFuture<Void> end = running.computeIfAbsent(item, i -> new CompletableFuture<>());
        return Uni.createFrom().completionStage(end);
    }

    private void end(int item) {
        running.computeIfAbsent(item, i -> new CompletableFuture<>()).complete(null);
    }

    @Test
    void atMostTheLimitRunAtOnceAndTheRestStartInOrderAsRunsEnd() {
        BoundedExecution<Integer> runs = new BoundedExecution<>(2, this::work);
        for (int i = 1; i <= 5; i++) {
            runs.submit(i);
        }
        assertEquals(List.of(1, 2), started);

        end(2);
        assertEquals(List.of(1, 2, 3), started);
        end(1);
        end(3);
        assertEquals(List.of(1, 2, 3, 4, 5), started);

        end(4);
        end(5);
        assertTrue(runs.close(Duration.ofSeconds(1)), "nothing runs any more");
    }

    @Test
    void aFailedRunDoesNotStopTheOnesAfterIt() {
        BoundedExecution<Integer> runs = new BoundedExecution<>(1,
                item -> item == 1 ? Uni.createFrom().failure(new IllegalStateException("broken")) : work(item));
        runs.submit(1);
        runs.submit(2);
        assertEquals(List.of(2), started);
        end(2);
        assertTrue(runs.close(Duration.ofSeconds(1)));
    }

    @Test
    void closingWaitsForRunningWorkAndGivesUpAfterTheGracePeriod() {
        BoundedExecution<Integer> runs = new BoundedExecution<>(2, this::work);
        runs.submit(1);
        CompletableFuture.runAsync(() -> end(1), CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
        assertTrue(runs.close(Duration.ofSeconds(10)), "the run that ended during the grace period was waited for");

        BoundedExecution<Integer> stuck = new BoundedExecution<>(2, this::work);
        stuck.submit(7);
        assertFalse(stuck.close(Duration.ofMillis(50)), "a run that does not end is abandoned after the grace period");
    }
}
