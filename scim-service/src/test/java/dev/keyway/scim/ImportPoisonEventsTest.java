package dev.keyway.scim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.ImportedUser;
import dev.keyway.common.event.Topics;
import dev.keyway.testsupport.DeadLetterProbe;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A poison record on keyway.imports.v1 never stops the user store from applying imports: it is kept in dead_letter,
 * counted, and the records after it are applied.
 */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class ImportPoisonEventsTest {

    @Inject
    MeterRegistry meters;

    @Test
    void aRecordThatIsNotAnEventAndAUserNameTheDatabaseRefusesAreDeadLetteredAndTheNextUserIsImported() {
        ScimOrg org = ScimOrg.create("poison");
        UUID integration = UUID.randomUUID();
        String key = integration + "/u1";
        DeadLetterProbe deadLetters = DeadLetterProbe.watch(meters, "scim", Topics.IMPORTS);

        // one key, so one partition: consumed in this order
        TestKafka kafka = TestKafka.get();
        kafka.publish(Topics.IMPORTS, key, "[\"not an event\"]");
        EventEnvelope refused = EventEnvelope.of(EventType.IMPORT_USER_CHANGED, org.org().id(), org.org().region(),
                key, 1, new ImportedUser(integration, "u1", "nul\u0000@acme.test", "nul@acme.test", "Imported", "U1",
                        null, null, null, null, true, List.of()));
        kafka.publish(refused);
        kafka.publish(EventEnvelope.of(EventType.IMPORT_USER_CHANGED, org.org().id(), org.org().region(), key, 2,
                new ImportedUser(integration, "u1", "u1@acme.test", "u1@acme.test", "Imported", "U1", null, null, null,
                        null, true, List.of())));

        TestPostgres db = TestPostgres.get();
        await().atMost(Duration.ofSeconds(20)).until(() -> db.count("select count(*) from scim.scim_user "
                + "where org_id = ?::uuid and user_name = 'u1@acme.test'", org.org().id().toString()) == 1);
        assertEquals(1, deadLetters.rows(key, "malformed", "record_value = '[\"not an event\"]'"));
        assertEquals(1, deadLetters.rows(key, "rejected", "event_id = ?::uuid", refused.id().toString()));
        deadLetters.assertOneOfEachReasonCounted();
    }
}
