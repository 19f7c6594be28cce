package dev.keyway.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What a consumer's dead-letter path leaves behind, for every service's poison-record test: the
 * {@code keyway.events.dead.lettered} counter of each reason, and the rows of the service's {@code dead_letter} table.
 */
public final class DeadLetterProbe {

    private final MeterRegistry meters;
    private final String schema;
    private final String topic;
    private final double malformedBefore;
    private final double rejectedBefore;

    private DeadLetterProbe(MeterRegistry meters, String schema, String topic) {
        this.meters = meters;
        this.schema = schema;
        this.topic = topic;
        this.malformedBefore = counted("malformed");
        this.rejectedBefore = counted("rejected");
    }

    /** Notes the counters of {@code topic} now, before the test publishes its poison records. */
    public static DeadLetterProbe watch(MeterRegistry meters, String schema, String topic) {
        return new DeadLetterProbe(meters, schema, topic);
    }

    /**
     * The dead letters of the topic with this record key and reason that also meet {@code condition} (SQL, with
     * {@code ?} for each of {@code values}).
     */
    public long rows(String key, String reason, String condition, Object... values) {
        List<Object> parameters = new ArrayList<>(List.of(topic, key, reason));
        parameters.addAll(List.of(values));
        return TestPostgres.get().count("select count(*) from " + schema + ".dead_letter where topic = ? "
                + "and record_key = ? and reason = ? and " + condition, parameters.toArray());
    }

    /** One record of each reason was counted since {@link #watch}. */
    public void assertOneOfEachReasonCounted() {
        assertEquals(malformedBefore + 1, counted("malformed"), "malformed records counted");
        assertEquals(rejectedBefore + 1, counted("rejected"), "rejected records counted");
    }

    private double counted(String reason) {
        Counter counter = meters.find("keyway.events.dead.lettered").tags("topic", topic, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
