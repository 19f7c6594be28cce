package dev.keyway.scim.requestlog;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many entries each organization may add to the request log in one minute of the clock. The table is shared by
 * every organization of the region: one tenant's client looping on a refused request (each one cheap now that the
 * token is remembered) must not fill it. Counts start again each minute, so an allowance is approximate at the turn
 * of a minute, which is all a log needs.
 */
final class MinuteAllowance {

    private final int perMinute;
    private final Map<UUID, AtomicInteger> counts = new ConcurrentHashMap<>();
    private volatile long minute = -1;

    MinuteAllowance(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Whether the organization may log one more entry at this time (milliseconds since the epoch). */
    boolean take(UUID org, long nowMillis) {
        long current = nowMillis / 60_000;
        if (current != minute) {
            minute = current;
            counts.clear();
        }
        return counts.computeIfAbsent(org, any -> new AtomicInteger()).incrementAndGet() <= perMinute;
    }
}
