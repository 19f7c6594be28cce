package dev.keyway.scim.receivers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.keyway.scim.setevents.SecurityEventsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A failed SET waits initial × 2^(attempt-1), at most the maximum; with the defaults that is retried for days. */
class BackoffTest {

    private static SecurityEventsConfig config(Duration initial, Duration max) {
        return new SecurityEventsConfig() {

            public Duration retention() {
                return Duration.ofDays(30);
            }

            public Duration deliveryInterval() {
                return Duration.ofMillis(250);
            }

            public int deliveryBatchSize() {
                return 64;
            }

            public Duration deliveryTimeout() {
                return Duration.ofSeconds(10);
            }

            public Duration initialBackoff() {
                return initial;
            }

            public Duration maxBackoff() {
                return max;
            }

            public Duration retryFor() {
                return Duration.ofDays(3);
            }

            public boolean allowHttpUrls() {
                return false;
            }

            public Optional<List<String>> pushAllowedRanges() {
                return Optional.empty();
            }

            public int maxPollEvents() {
                return 1000;
            }
        };
    }

    @Test
    void theWaitDoublesUpToTheMaximum() {
        PushDelivery delivery = new PushDelivery(null, null, null, config(Duration.ofSeconds(1), Duration.ofHours(1)),
                null, new SimpleMeterRegistry());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8)),
                List.of(delivery.backoff(1), delivery.backoff(2), delivery.backoff(3),
                        delivery.backoff(4)));
        assertEquals(Duration.ofHours(1), delivery.backoff(13));
        assertEquals(Duration.ofHours(1), delivery.backoff(10_000));
        // with the defaults, 3 days of retries are about 80 attempts, the last ones an hour apart
        Duration total = Duration.ZERO;
        int attempts = 0;
        while (total.compareTo(Duration.ofDays(3)) < 0) {
            total = total.plus(delivery.backoff(++attempts));
        }
        assertEquals(83, attempts);
    }
}
