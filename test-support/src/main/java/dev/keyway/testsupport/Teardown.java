package dev.keyway.testsupport;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Stops what the tests of this JVM started, in one shutdown hook, newest first: the services and MirrorMaker 2 before
 * the Kafka brokers and PostgreSQL they use. Separate hooks would run at the same time, and a client whose broker
 * vanished under it waits out its close timeouts (the test JVM then outlives surefire's patience by 30 s).
 */
public final class Teardown {

    private static final Deque<Runnable> STEPS = new ArrayDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Teardown::run, "keyway-teardown"));
    }

    private Teardown() {
    }

    /** Runs {@code step} when the JVM exits, before every step registered earlier. */
    public static synchronized void register(Runnable step) {
        STEPS.push(step);
    }

    private static synchronized void run() {
        while (!STEPS.isEmpty()) {
            try {
                STEPS.pop().run();
            } catch (RuntimeException e) {
                // the JVM is going away; the remaining steps still release their resources
                e.printStackTrace();
            }
        }
    }
}
