package dev.keyway.sso.saml;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

/** Initialises OpenSAML while the service starts, not on the first sign-in. */
@ApplicationScoped
class SamlStartup {

    void initialize(@Observes StartupEvent started) {
        OpenSaml.initialize();
    }
}
