package dev.keyway.sso.eligibility;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.Topics;
import dev.keyway.common.event.UserState;
import dev.keyway.common.tenant.Region;
import dev.keyway.sso.SsoFixture;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A poison record on keyway.directory.v1 (one that is not an event, or whose data the database refuses) is kept in
 * dead_letter, counted, and acknowledged; the consumer goes on with the next record.
 */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class PoisonEventsTest {

    @Inject
    MeterRegistry meters;

    private double deadLettered(String reason) {
        Counter counter = meters.find("keyway.events.dead.lettered")
                .tags("topic", Topics.DIRECTORY, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void poisonRecordsAreDeadLetteredAndTheRecordsAfterThemAreApplied() {
        SsoFixture org = SsoFixture.create("poison");
        UUID user = UUID.randomUUID();
        double malformedBefore = deadLettered("malformed");
        double rejectedBefore = deadLettered("rejected");

        // keyed like the user's events, so all land on one partition and are consumed in this order
        TestKafka.get().publish(Topics.DIRECTORY, user.toString(), "{\"id\": not an event");
        EventEnvelope refused = EventEnvelope.of(EventType.USER_UPSERTED, org.orgId, Region.API, user.toString(), 1,
                new UserState(user, null, null, "Ada", "Lovelace", "Ada Lovelace", "ada@poison.test", true, null,
                        null, null, List.of()));
        TestKafka.get().publish(refused);

        // waits until the good event after them is applied
        org.user(user, "ada@poison.test", true);

        TestPostgres db = TestPostgres.get();
        assertEquals(1, db.count("select count(*) from sso.dead_letter where topic = ? and record_key = ? "
                + "and reason = 'malformed' and event_id is null and record_value = ?",
                Topics.DIRECTORY, user.toString(), "{\"id\": not an event"));
        assertEquals(1, db.count("select count(*) from sso.dead_letter where topic = ? and record_key = ? "
                + "and reason = 'rejected' and event_id = ?::uuid and event_type = 'user.upserted' "
                + "and error like 'SQLSTATE 23502:%'", Topics.DIRECTORY, user.toString(), refused.id().toString()));
        assertEquals(malformedBefore + 1, deadLettered("malformed"));
        assertEquals(rejectedBefore + 1, deadLettered("rejected"));

        // and the consumer keeps consuming
        org.user(user, "ada@poison.test", false);
    }
}
