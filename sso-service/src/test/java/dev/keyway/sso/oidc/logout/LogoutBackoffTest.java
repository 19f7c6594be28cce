package dev.keyway.sso.oidc.logout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Undelivered back-channel logouts are retried ever less often, never less often than the maximum. */
class LogoutBackoffTest {

    @Test
    void theBackoffDoublesUpToTheMaximum() {
        Duration initial = Duration.ofSeconds(1);
        Duration max = Duration.ofSeconds(10);
        assertEquals(Duration.ofSeconds(1), LogoutDelivery.backoff(1, initial, max));
        assertEquals(Duration.ofSeconds(2), LogoutDelivery.backoff(2, initial, max));
        assertEquals(Duration.ofSeconds(8), LogoutDelivery.backoff(4, initial, max));
        assertEquals(max, LogoutDelivery.backoff(5, initial, max));
        assertEquals(max, LogoutDelivery.backoff(10_000, initial, max));
    }
}
