package dev.keyway.imports.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How integrations are scheduled and run. */
@ConfigMapping(prefix = "keyway.imports")
public interface ImportsConfig {

    /** The schedule of a new integration that names none. */
    @WithDefault("PT1H")
    Duration defaultInterval();

    /** The shortest schedule an admin may choose: JumpCloud blocks clients that hammer its API. */
    @WithDefault("PT5M")
    Duration minimumInterval();

    /** How often each replica looks for due integrations. */
    @WithDefault("15s")
    Duration schedulerTick();

    /**
     * Scheduled starts are spread by a random delay of up to a tenth of the interval, at most this much, so
     * integrations created together do not all call JumpCloud at once.
     */
    @WithDefault("PT5M")
    Duration maxJitter();

    /** Runs one replica executes at once; each holds a database connection and a thread while it pulls. */
    @WithDefault("4")
    int maxConcurrentRuns();

    /**
     * At shutdown, how long running imports may take to finish; runs still going then are abandoned and recorded as
     * interrupted by the next run of their integration.
     */
    @WithDefault("30s")
    Duration shutdownGrace();

    /** How many past runs the admin API lists per integration. */
    @WithDefault("20")
    int runsListed();
}
