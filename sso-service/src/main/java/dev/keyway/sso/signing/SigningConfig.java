package dev.keyway.sso.signing;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Rotation of the keys owner tokens and ID tokens are signed with. */
@ConfigMapping(prefix = "keyway.signing")
public interface SigningConfig {

    /** A new signing key is generated when the newest one is this old (the operator can rotate sooner). */
    @WithDefault("P30D")
    Duration rotationInterval();

    /**
     * How long a new key is published in the JWKS before it signs anything. Verifiers cache the JWKS (5 minutes by
     * its Cache-Control; SmallRye JWT refreshes at least hourly), so every one of them knows the key before the
     * first token it signed arrives.
     */
    @WithDefault("PT1H")
    Duration publishAhead();

    /**
     * How often each replica reloads the keys (to pick up a rotation made by another replica), rotates when due and
     * retires keys whose tokens have all expired.
     */
    @WithDefault("PT1M")
    Duration checkInterval();
}
