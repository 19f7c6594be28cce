package dev.keyway.runtime.deployment;

import java.util.Map;
import java.util.Optional;

import dev.keyway.common.tenant.Region;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where this service runs and where its peers in other regions answer. */
@ConfigMapping(prefix = "keyway.deployment")
public interface Deployment {

    /** This deployment's region; organizations homed elsewhere are routed there, never served here. */
    @WithDefault("api")
    Region region();

    /**
     * This service's public base URL in each region, keyed by region code ({@code keyway.deployment.urls.api},
     * {@code keyway.deployment.urls.eu}); used in answers that send a caller to an organization's home region.
     */
    Map<String, String> urls();

    default Optional<String> urlOf(Region region) {
        return Optional.ofNullable(urls().get(region.code()));
    }

    default String ownUrl() {
        return urlOf(region()).orElseThrow(() -> new IllegalStateException(
                "keyway.deployment.urls." + region().code() + " is not configured"));
    }
}
