package dev.keyway.runtime.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How consumed events are kept. */
@ConfigMapping(prefix = "keyway.events")
public interface EventsConfig {

    /** Dead letters are kept this long (time enough to see, fix and replay them), then deleted. */
    @WithDefault("P30D")
    Duration deadLetterRetention();
}
