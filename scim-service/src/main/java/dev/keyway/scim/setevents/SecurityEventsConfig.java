package dev.keyway.scim.setevents;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The directory event log and its delivery to the SaaS's apps (push per RFC 8935, poll per RFC 8936). */
@ConfigMapping(prefix = "keyway.events")
public interface SecurityEventsConfig {

    /** SETs stay in the log this long (for polling, replays and endpoints that were down), then are deleted. */
    @WithDefault("P30D")
    Duration retention();

    /** How often each replica looks for due push deliveries. */
    @WithDefault("250ms")
    Duration deliveryInterval();

    /** Most SETs one replica sends to one endpoint per look (each to a different user, in parallel). */
    @WithDefault("64")
    int deliveryBatchSize();

    /** How long one POST may take before it counts as failed. */
    @WithDefault("10s")
    Duration deliveryTimeout();

    /** The wait after a failed delivery, doubling per attempt up to {@link #maxBackoff()}. */
    @WithDefault("1s")
    Duration initialBackoff();

    @WithDefault("PT1H")
    Duration maxBackoff();

    /** An endpoint whose oldest undelivered SET has failed this long is paused until an operator resumes it. */
    @WithDefault("P3D")
    Duration retryFor();

    /** Endpoint URLs may be http (tests, a receiver on the same host); otherwise https only. */
    @WithDefault("false")
    boolean allowHttpUrls();

    /**
     * CIDR ranges SETs may be pushed to although they are not public (loopback, private, link-local, CGNAT, unique
     * local, metadata services are refused otherwise), e.g. {@code 10.20.0.0/16} for apps inside the operator's
     * network; none by default.
     */
    Optional<List<String>> pushAllowedRanges();

    /** Most SETs one poll response carries, whatever maxEvents asks. */
    @WithDefault("1000")
    int maxPollEvents();
}
