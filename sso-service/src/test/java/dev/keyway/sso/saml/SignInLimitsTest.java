package dev.keyway.sso.saml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.keyway.sso.config.SsoConfig;

/** The token buckets in front of anonymous SP-initiated sign-in, on a clock the test moves. */
class SignInLimitsTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(42 * SECOND);
    private final SignInLimits limits = new SignInLimits(new Limits(3, 60, 5, 120, 4), clock::get);

    @Test
    void aClientGetsItsBurstThenOneSignInPerRefill() {
        UUID org = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            assertTrue(limits.tryStart(org, "203.0.113.1"), "within the burst: " + i);
        }
        assertFalse(limits.tryStart(org, "203.0.113.1"));
        assertTrue(limits.tryStart(org, "203.0.113.2"), "another client is not held back");

        clock.addAndGet(SECOND); // 60 per minute: one more
        assertTrue(limits.tryStart(org, "203.0.113.1"));
        assertFalse(limits.tryStart(org, "203.0.113.1"));
    }

    @Test
    void anOrganizationIsBoundedWhateverTheNumberOfClients() {
        UUID busy = UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            assertTrue(limits.tryStart(busy, "198.51.100." + i));
        }
        assertFalse(limits.tryStart(busy, "198.51.100.200"), "the organization's burst is used up");
        assertTrue(limits.tryStart(UUID.randomUUID(), "198.51.100.201"), "other organizations are not");

        clock.addAndGet(SECOND / 2); // 120 per minute: one more
        assertTrue(limits.tryStart(busy, "198.51.100.202"));
        assertFalse(limits.tryStart(busy, "198.51.100.203"));
    }

    @Test
    void quietClientsAreForgottenAndTheMapStaysBounded() {
        UUID org = UUID.randomUUID();
        for (int i = 0; i < 4; i++) {
            clock.addAndGet(SECOND);
            limits.tryStart(org, "192.0.2." + i);
        }
        assertEquals(4, limits.trackedClients());
        limits.tryStart(org, "192.0.2.99");
        assertTrue(limits.trackedClients() <= 4, "at the bound, the refilled (idle) clients are forgotten first");

        clock.addAndGet(60 * SECOND);
        limits.forgetIdle();
        assertEquals(0, limits.trackedClients());
    }

    private record Limits(int clientBurst, int clientPerMinute, int organizationBurst, int organizationPerMinute,
            int maxTrackedClients) implements SsoConfig.LoginLimits {

        @Override
        public int maxPendingPerOrganization() {
            return 10;
        }
    }
}
