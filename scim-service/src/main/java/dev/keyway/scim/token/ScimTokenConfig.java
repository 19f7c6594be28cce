package dev.keyway.scim.token;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How SCIM bearer tokens are checked. */
@ConfigMapping(prefix = "keyway.scim.token-cache")
public interface ScimTokenConfig {

    /**
     * How long a replica may answer from memory that a token is active. A revocation reaches every replica at once
     * (PostgreSQL notifies them, {@link ScimTokenCache}); this bounds only the case where that notification
     * connection fails without the replica noticing. 0 looks every token up on every request.
     */
    @WithDefault("10s")
    Duration maxAge();

    /**
     * How often the notification connection is checked with a cheap query; one that fails, or does not answer
     * within this interval, is given up: the cache is emptied and the replica listens on a new connection. This is
     * what notices a connection that broke without closing, well within {@link #maxAge()}.
     */
    @WithDefault("2s")
    Duration heartbeatInterval();
}
