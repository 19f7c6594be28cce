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
}
