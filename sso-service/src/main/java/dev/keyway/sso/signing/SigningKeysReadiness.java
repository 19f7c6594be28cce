package dev.keyway.sso.signing;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the signing keys are loaded: before that, no owner token or session can be issued or verified. */
@Readiness
@ApplicationScoped
public class SigningKeysReadiness implements HealthCheck {

    private final SigningKeys keys;

    public SigningKeysReadiness(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("signing-keys").status(keys.isLoaded()).build();
    }
}
