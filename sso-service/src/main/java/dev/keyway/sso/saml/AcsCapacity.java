package dev.keyway.sso.saml;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyway.sso.config.SsoConfig;

/**
 * How many ACS posts this replica works on at once ({@code keyway.sso.max-sign-ins-in-flight}). Offered more
 * sign-ins than it can validate, a replica would queue them for the worker pool without bound, each holding its
 * response in memory, until the heap ran out; beyond the bound a post is answered at once (503, retry) instead.
 */
@ApplicationScoped
public class AcsCapacity {

    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    @Inject
    AcsCapacity(SsoConfig config) {
        this(config.maxSignInsInFlight());
    }

    AcsCapacity(int max) {
        this.max = max;
    }

    /** Takes a place; false when every place is taken (then nothing is to be left). */
    boolean tryEnter() {
        if (inFlight.incrementAndGet() > max) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back a place {@link #tryEnter()} took, however the post ended. */
    void leave() {
        inFlight.decrementAndGet();
    }
}
