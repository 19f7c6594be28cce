package dev.keyway.sso;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts sso-service with slf4j on {@link CachedSlf4jLoggers}, unless {@code -Dslf4j.provider} names another. slf4j
 * picks its provider once, at the first logger asked for, so this runs before anything of Quarkus does.
 */
@QuarkusMain
public final class SsoServiceMain {

    private SsoServiceMain() {
    }

    public static void main(String... args) {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", CachedSlf4jLoggers.class.getName());
            // slf4j says at INFO which provider it was told to load; its warnings and errors still show
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        Quarkus.run(args);
    }
}
