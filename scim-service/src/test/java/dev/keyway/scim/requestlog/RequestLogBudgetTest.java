package dev.keyway.scim.requestlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;

/** The entries waiting in memory are bounded by bytes as well as by count; what does not fit is dropped, counted. */
class RequestLogBudgetTest {

    private static RequestLogConfig config(int capacity, long maxBytes) {
        return new RequestLogConfig() {

            public Duration flushInterval() {
                return Duration.ofSeconds(1);
            }

            public int batchSize() {
                return 1_000_000; // never woken early: nothing is written in this test
            }

            public int capacity() {
                return capacity;
            }

            public MemorySize maxWaitingBytes() {
                return new MemorySize(BigInteger.valueOf(maxBytes));
            }

            public int perOrganizationPerMinute() {
                return 1_000_000;
            }

            public Duration retention() {
                return Duration.ofDays(30);
            }
        };
    }

    private static ScimRequest entry(UUID org, int detailLength) {
        return new ScimRequest(org, Instant.now(), "POST", "/scim/v2/Users", 400, "invalidValue",
                "x".repeat(detailLength), null, null, UUID.randomUUID());
    }

    @Test
    void longEntriesAreDroppedAndCountedOnceTheirBytesExceedTheBudgetWhateverTheCount() {
        MeterRegistry meters = new SimpleMeterRegistry();
        // room for 20,000 entries by count, but only about 1 MiB: each entry below holds about 100 KiB
        RequestLog log = new RequestLog(null, null, config(20_000, 1024 * 1024), null, meters);
        UUID org = UUID.randomUUID();
        ScimRequest big = entry(org, 50 * 1024);
        long fitting = 1024 * 1024 / big.approximateBytes();

        for (int i = 0; i < 100; i++) {
            log.record(entry(org, 50 * 1024));
        }

        assertEquals(fitting, log.waiting());
        assertEquals(100 - fitting, meters.counter("keyway.scim.request.log.dropped").count());
        // a short entry still fits in what is left of the budget: the bound is on bytes, not on a count of big ones
        long before = log.waiting();
        log.record(entry(org, 0));
        assertEquals(before + 1, log.waiting());
    }

    @Test
    void shortEntriesAreBoundedByCountAsBefore() {
        MeterRegistry meters = new SimpleMeterRegistry();
        RequestLog log = new RequestLog(null, null, config(10, 8L * 1024 * 1024), null, meters);
        UUID org = UUID.randomUUID();
        for (int i = 0; i < 15; i++) {
            log.record(entry(org, 10));
        }
        assertEquals(10, log.waiting());
        assertEquals(5, meters.counter("keyway.scim.request.log.dropped").count());
    }
}
