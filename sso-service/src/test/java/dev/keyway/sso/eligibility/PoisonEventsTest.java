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
import dev.keyway.testsupport.DeadLetterProbe;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
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

    @Test
    void poisonRecordsAreDeadLetteredAndTheRecordsAfterThemAreApplied() {
        SsoFixture org = SsoFixture.create("poison");
        UUID user = UUID.randomUUID();
        DeadLetterProbe deadLetters = DeadLetterProbe.watch(meters, "sso", Topics.DIRECTORY);

        // keyed like the user's events, so all land on one partition and are consumed in this order
        TestKafka.get().publish(Topics.DIRECTORY, user.toString(), "{\"id\": not an event");
        EventEnvelope refused = EventEnvelope.of(EventType.USER_UPSERTED, org.orgId, Region.API, user.toString(), 1,
                new UserState(user, null, null, "Ada", "Lovelace", "Ada Lovelace", "ada@poison.test", true, null,
                        null, null, List.of()));
        TestKafka.get().publish(refused);

        // waits until the good event after them is applied
        org.user(user, "ada@poison.test", true);

        assertEquals(1, deadLetters.rows(user.toString(), "malformed", "event_id is null and record_value = ?",
                "{\"id\": not an event"));
        assertEquals(1, deadLetters.rows(user.toString(), "rejected",
                "event_id = ?::uuid and event_type = 'user.upserted' and error like 'SQLSTATE 23502:%'",
                refused.id().toString()));
        deadLetters.assertOneOfEachReasonCounted();

        // and the consumer keeps consuming
        org.user(user, "ada@poison.test", false);
    }
}
