package dev.keyway.runtime.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventCodec;
import io.vertx.pgclient.PgException;

/** Which failures a consumer retries (the record is delivered again) and which dead-letter the record at once. */
class IncomingEventsTest {

    private static PgException postgres(String sqlState) {
        return new PgException("refused", "ERROR", sqlState, null);
    }

    @Test
    void badDataIsNeverRetried() {
        assertFalse(IncomingEvents.isTransient(postgres("22021")), "NUL in text");
        assertFalse(IncomingEvents.isTransient(postgres("22003")), "number out of range");
        assertFalse(IncomingEvents.isTransient(postgres("23502")), "not-null violation");
        assertFalse(IncomingEvents.isTransient(postgres("23505")), "unique violation");
        assertFalse(IncomingEvents.isTransient(new IllegalStateException("wrapped", postgres("23503"))));
        assertFalse(IncomingEvents.isTransient(malformed()));
        assertFalse(IncomingEvents.isTransient(new IllegalArgumentException("not a region: 'mars'")));
        assertFalse(IncomingEvents.isTransient(new NullPointerException("payload field missing")));
    }

    @Test
    void whatMayPassIsRetried() {
        assertTrue(IncomingEvents.isTransient(new ConnectException("Connection refused")));
        assertTrue(IncomingEvents.isTransient(new TimeoutException()));
        assertTrue(IncomingEvents.isTransient(postgres("57014")), "statement cancelled");
        assertTrue(IncomingEvents.isTransient(postgres("40001")), "serialization failure");
        assertTrue(IncomingEvents.isTransient(postgres("53300")), "too many connections");
        assertTrue(IncomingEvents.isTransient(new IllegalStateException("pool closed")));
    }

    @Test
    void theDeadLetterNamesTheSqlStateOrTheFailure() {
        assertEquals("SQLSTATE 23502: refused", IncomingEvents.describe(new RuntimeException(postgres("23502"))));
        assertEquals("IllegalArgumentException: bad", IncomingEvents.describe(new IllegalArgumentException("bad")));
    }

    private static RuntimeException malformed() {
        try {
            EventCodec.decode("{not json");
            throw new AssertionError("decoded");
        } catch (EventCodec.MalformedEventException e) {
            return e;
        }
    }
}
