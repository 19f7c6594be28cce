package dev.keyway.sso.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.time.Duration;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import dev.keyway.sso.config.SsoConfig;

/** Constructing the keys does no work and no I/O; until they are loaded, the replica is not ready. */
class SigningKeysReadinessTest {

    @Test
    void notReadyUntilTheKeysAreLoaded() {
        // no pool, repository or SecretBox: the constructor must not touch them (loading starts after StartupEvent)
        SigningKeys keys = new SigningKeys(null, null, null, durations(SigningConfig.class), durations(SsoConfig.class),
                Duration.ofHours(1), "https://keyway.test");

        HealthCheckResponse readiness = new SigningKeysReadiness(keys).call();

        assertEquals("signing-keys", readiness.getName());
        assertEquals(HealthCheckResponse.Status.DOWN, readiness.getStatus());
    }

    /** A configuration whose every Duration is one hour (the constructor reads the session lifetime). */
    private static <T> T durations(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{ type },
                (proxy, method, args) -> method.getReturnType() == Duration.class ? Duration.ofHours(1) : null));
    }
}
