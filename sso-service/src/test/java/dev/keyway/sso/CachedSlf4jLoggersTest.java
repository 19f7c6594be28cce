package dev.keyway.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.jboss.logmanager.LogContext;
import org.junit.jupiter.api.Test;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

class CachedSlf4jLoggersTest {

    private static final String CATEGORY = "dev.keyway.sso.cached-loggers-test";

    /** LogManager builds a logger (about half a kilobyte) at every lookup; a cached one costs nothing. */
    @Test
    void aNameIsLookedUpInLogManagerOnce() {
        CachedSlf4jLoggers provider = new CachedSlf4jLoggers();
        provider.initialize();
        ILoggerFactory loggers = provider.getLoggerFactory();
        Logger first = loggers.getLogger(CATEGORY);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        Logger again = null;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000; i++) {
            again = loggers.getLogger(CATEGORY);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertSame(first, again);
        assertTrue(allocated < 64 * 1024, "1,000 lookups of a known name allocated " + allocated + " bytes");
    }

    @Test
    void aCachedLoggerFollowsItsCategorysLevelAsItChanges() {
        CachedSlf4jLoggers provider = new CachedSlf4jLoggers();
        provider.initialize();
        ILoggerFactory loggers = provider.getLoggerFactory();
        java.util.logging.Logger category = LogContext.getLogContext().getLogger(CATEGORY);
        List<String> written = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {

            @Override
            public void publish(LogRecord record) {
                written.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        category.addHandler(handler);
        try {
            category.setLevel(Level.WARNING);
            Logger logger = loggers.getLogger(CATEGORY);
            assertNotSame(logger, loggers.getLogger(CATEGORY + ".child"));

            logger.info("left out at WARNING");
            logger.warn("written at WARNING");
            category.setLevel(Level.INFO);
            logger.info("written once the level is INFO");

            assertEquals(List.of("WARN written at WARNING", "INFO written once the level is INFO"), written);
        } finally {
            category.removeHandler(handler);
            category.setLevel(null);
        }
    }
}
