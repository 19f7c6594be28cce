package dev.keyway.sso.saml;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyway.sso.config.SsoConfig;
import io.quarkus.scheduler.Scheduled;

/**
 * How fast anonymous callers may start SP-initiated sign-ins (each one writes a pending AuthnRequest): a token bucket
 * per client address and one per organization, in this replica's memory. A client that has been quiet long enough
 * to refill its bucket is forgotten, so the map holds only the recently active.
 */
@ApplicationScoped
public class SignInLimits {

    private final SsoConfig.LoginLimits limits;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> clients = new ConcurrentHashMap<>();
    private final Map<UUID, Bucket> organizations = new ConcurrentHashMap<>();

    @Inject
    public SignInLimits(SsoConfig config) {
        this(config.loginLimits(), System::nanoTime);
    }

    SignInLimits(SsoConfig.LoginLimits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.nanoClock = nanoClock;
    }

    /** Takes one sign-in from the client's and the organization's allowance; false if either is used up. */
    public boolean tryStart(UUID orgId, String client) {
        long now = nanoClock.getAsLong();
        if (clients.size() >= limits.maxTrackedClients()) {
            forgetIdle(now);
        }
        Bucket clientBucket = clients.computeIfAbsent(client == null ? "unknown" : client,
                key -> new Bucket(limits.clientBurst(), now));
        return clientBucket.take(limits.clientBurst(), limits.clientPerMinute(), now)
                && organizations.computeIfAbsent(orgId, key -> new Bucket(limits.organizationBurst(), now))
                        .take(limits.organizationBurst(), limits.organizationPerMinute(), now);
    }

    @Scheduled(identity = "saml-sign-in-limits-cleanup", every = "1m")
    void forgetIdle() {
        forgetIdle(nanoClock.getAsLong());
    }

    private void forgetIdle(long now) {
        clients.values().removeIf(bucket -> bucket.full(limits.clientBurst(), limits.clientPerMinute(), now));
        organizations.values()
                .removeIf(bucket -> bucket.full(limits.organizationBurst(), limits.organizationPerMinute(), now));
        if (clients.size() >= limits.maxTrackedClients()) {
            // a flood of distinct addresses: forgetting them only gives them a fresh burst; the organization's
            // bucket and the pending-request cap still bound what they can write
            clients.clear();
        }
    }

    int trackedClients() {
        return clients.size();
    }

    private static final class Bucket {

        private double tokens;
        private long updated;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.updated = now;
        }

        synchronized boolean take(int burst, int perMinute, long now) {
            refill(burst, perMinute, now);
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized boolean full(int burst, int perMinute, long now) {
            refill(burst, perMinute, now);
            return tokens >= burst;
        }

        private void refill(int burst, int perMinute, long now) {
            tokens = Math.min(burst, tokens + (now - updated) * perMinute / 60e9);
            updated = now;
        }
    }
}
