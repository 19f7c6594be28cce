package dev.keyway.runtime.database;

import java.util.Set;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;

/** Whether a failure is the pool refusing a connection ({@link BoundedPoolCreator}): too many waiting, or too long. */
public final class PoolOverload {

    /**
     * How Vert.x's SQL pool fails a wait past its connection timeout, with no type of its own: the first when a
     * connection was asked for, the second when a statement was sent to the pool.
     */
    private static final Set<String> WAITED_TOO_LONG = Set.of("Timeout", "Timeout waiting for connection");

    private PoolOverload() {
    }

    public static boolean is(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectionPoolTooBusyException) {
                return true;
            }
            if ((cause instanceof VertxException || cause instanceof NoStackTraceThrowable)
                    && WAITED_TOO_LONG.contains(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
