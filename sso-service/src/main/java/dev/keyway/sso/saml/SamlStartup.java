package dev.keyway.sso.saml;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Initialises OpenSAML while the service starts, not on the first sign-in, and beside the start rather than in it:
 * on a managed worker, so the service is ready a second sooner. A sign-in that comes first waits for the
 * initialisation (the JVM's class initialisation lock), it never sees OpenSAML half initialised.
 */
@ApplicationScoped
class SamlStartup {

    private static final Logger LOG = Logger.getLogger(SamlStartup.class);

    void initialize(@Observes StartupEvent started, ManagedExecutor executor) {
        executor.runAsync(OpenSaml::initialize).exceptionally(failure -> {
            LOG.error("OpenSAML could not be initialised; SAML sign-ins will fail", failure);
            return null;
        });
    }
}
