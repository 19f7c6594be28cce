package dev.keyway.portal;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The admin portal's settings ({@code keyway.portal.*}). */
@ConfigMapping(prefix = "keyway.portal")
public interface PortalConfig {

    /** How long a setup link stays usable when the operator does not say. */
    @WithDefault("P1D")
    Duration linkLifetime();

    /** The longest life an operator may give a setup link. */
    @WithDefault("P7D")
    Duration maxLinkLifetime();

    /** How long the browser session a link opens lasts. */
    @WithDefault("PT2H")
    Duration sessionLifetime();

    /** scim-service's public base URL in this region, shown to paste into JumpCloud; unset = the URL called. */
    Optional<String> scimPublicUrl();
}
