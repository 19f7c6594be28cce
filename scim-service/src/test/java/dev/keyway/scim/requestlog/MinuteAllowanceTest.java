package dev.keyway.scim.requestlog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class MinuteAllowanceTest {

    @Test
    void oneOrganizationsFloodIsCutAtItsAllowanceAndLeavesTheOthersAlone() {
        MinuteAllowance allowance = new MinuteAllowance(3);
        UUID flooding = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        long minute = 1_000 * 60_000L;

        for (int i = 0; i < 3; i++) {
            assertTrue(allowance.take(flooding, minute + i));
        }
        assertFalse(allowance.take(flooding, minute + 59_999));
        assertTrue(allowance.take(other, minute + 59_999));
        // the next minute starts a new allowance
        assertTrue(allowance.take(flooding, minute + 60_000));
    }
}
