package dev.keyway.imports.run;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow.Processor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Work submitted in order, executed at most {@code limit} at a time (the rest wait their turn), with Mutiny's merge
 * rather than a thread pool of its own. A failed item is logged and does not stop the ones after it.
 */
final class BoundedExecution<T> {

    private static final Logger LOG = Logger.getLogger(BoundedExecution.class);

    private final Processor<T, T> queue = UnicastProcessor.<T>create().serialized();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final Cancellable execution;

    BoundedExecution(int limit, Function<T, Uni<Void>> work) {
        execution = Multi.createFrom().publisher(queue)
                .onItem().transformToUni(item -> work.apply(item)
                        // the item itself may hold secrets: not logged
                        .onFailure().invoke(e -> LOG.warnf("Queued work failed: %s", e.getMessage()))
                        .onFailure().recoverWithNull())
                .merge(limit)
                .subscribe().with(done -> {
                }, unexpected -> drained.complete(null), () -> drained.complete(null));
    }

    void submit(T item) {
        queue.onNext(item);
    }

    /**
     * Takes no more work and waits up to {@code grace} for what was submitted to end; then cancels what still runs.
     *
     * @return whether everything ended within the grace period
     */
    boolean close(Duration grace) {
        queue.onComplete();
        try {
            drained.get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // fall through: cancel below
        }
        execution.cancel();
        return false;
    }
}
