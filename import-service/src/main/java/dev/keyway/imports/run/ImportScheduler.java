package dev.keyway.imports.run;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.keyway.imports.config.ImportsConfig;
import dev.keyway.imports.integration.IntegrationRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Starts the runs that are due, as many as this replica has room for; the run's lock keeps replicas apart. */
@ApplicationScoped
public class ImportScheduler {

    private static final Logger LOG = Logger.getLogger(ImportScheduler.class);

    private final IntegrationRepository integrations;
    private final ImportRunner runner;
    private final ImportsConfig config;

    public ImportScheduler(IntegrationRepository integrations, ImportRunner runner, ImportsConfig config) {
        this.integrations = integrations;
        this.runner = runner;
        this.config = config;
    }

    @Scheduled(every = "{keyway.imports.scheduler-tick}", delayed = "{keyway.imports.scheduler-tick}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> startDueRuns() {
        int room = config.maxConcurrentRuns() - runner.active();
        if (room <= 0) {
            return Uni.createFrom().voidItem();
        }
        return integrations.due(room)
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> integrations.byId(id)
                        .onItem().ifNotNull().transformToUni(integration -> runner.start(integration, "schedule"))
                        .onFailure().invoke(e -> LOG.debugf("Import %s not started: %s", id, e.getMessage()))
                        .onFailure().recoverWithNull())
                .collect().last()
                .onFailure().invoke(e -> LOG.warnf("Looking for due imports failed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
