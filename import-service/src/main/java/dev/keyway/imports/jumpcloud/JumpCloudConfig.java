package dev.keyway.imports.jumpcloud;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where JumpCloud's API answers and how patiently Keyway talks to it. */
@ConfigMapping(prefix = "keyway.jumpcloud")
public interface JumpCloudConfig {

    /** The US data center's console (API under {@code /api}). */
    @WithDefault("https://console.jumpcloud.com")
    String usUrl();

    /** The EU data center's console. */
    @WithDefault("https://console.eu.jumpcloud.com")
    String euUrl();

    /** Records per page; JumpCloud allows at most 100, and a group's pages overlap by one, so at least 2. */
    @WithDefault("100")
    @Min(2)
    @Max(100)
    int pageSize();

    /**
     * Requests one import keeps in flight at once (groups' member lists side by side, then the user pages). JumpCloud
     * publishes no request rate; 429 answers slow the run down (Retry-After), they do not fail it.
     */
    @WithDefault("4")
    int concurrency();

    /** How long to wait for a connection to JumpCloud. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** How long to wait for one answer. */
    @WithDefault("30s")
    Duration readTimeout();

    /** Tries per request when JumpCloud answers 429 or 5xx, or cannot be reached, before the run gives up. */
    @WithDefault("6")
    int maxAttempts();

    /** Pause before the second try; doubles each time (with full jitter), unless JumpCloud sends Retry-After. */
    @WithDefault("1s")
    Duration initialBackoff();

    /** The longest pause between tries, Retry-After included. */
    @WithDefault("60s")
    Duration maxBackoff();

    default String baseUrl(DataCenter dataCenter) {
        return dataCenter == DataCenter.EU ? euUrl() : usUrl();
    }
}
