package dev.keyway.sso.eligibility;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.Topics;
import dev.keyway.common.event.UserDeleted;
import dev.keyway.common.event.UserState;
import dev.keyway.common.tenant.Region;
import dev.keyway.sso.SsoFixture;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A polled batch of directory events is applied in one transaction with the result of applying its events one after
 * another: a deactivation inside the batch ends the sessions even when the user is reactivated later in it, an older
 * state after a newer one changes nothing, the latest user announcing an e-mail holds it, a redelivered batch is a
 * no-op, and a poison event is dead-lettered while the others are applied. The batch is handed to the consumer method
 * as Kafka would, so it is exactly the batch under test.
 */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class DirectoryBatchTest {

    @Inject
    DirectoryEvents consumer;

    /** Past any offset the consumer met on the real topic (a dead letter is unique per offset). */
    private long offset = LATER + new Random().nextInt(1_000_000_000);
    /** Above the sequences SsoFixture announces with. */
    private static final long LATER = Long.MAX_VALUE / 2;

    private static UserState user(UUID id, String email, boolean active) {
        return new UserState(id, email, null, "Ada", "Lovelace", "Ada Lovelace", email, active, null, null, null,
                List.of());
    }

    private static EventEnvelope upserted(SsoFixture org, UserState user, long sequence) {
        return EventEnvelope.of(EventType.USER_UPSERTED, org.orgId, Region.API, user.id().toString(), sequence, user);
    }

    private ConsumerRecords<String, String> batch(List<EventEnvelope> events) {
        TopicPartition partition = new TopicPartition(Topics.DIRECTORY, 0);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (EventEnvelope event : events) {
            records.add(new ConsumerRecord<>(Topics.DIRECTORY, 0, offset++, event.aggregateId(),
                    EventCodec.encode(event)));
        }
        return new ConsumerRecords<>(Map.of(partition, records), Map.of());
    }

    private static UUID session(SsoFixture org, UUID user) {
        UUID id = UUID.randomUUID();
        TestPostgres.get().execute("insert into sso.session (id, org_id, user_id, expires_at) values ('" + id + "', '"
                + org.orgId + "', '" + user + "', now() + interval '1 hour')");
        return id;
    }

    private static String revocation(UUID session) {
        return (String) TestPostgres.get().queryValue(
                "select coalesce(revoked_reason, 'live') from sso.session where id = ?::uuid", session.toString());
    }

    private static Object column(String column, UUID user) {
        return TestPostgres.get().queryValue("select " + column + " from sso.login_user where user_id = ?::uuid",
                user.toString());
    }

    @Test
    void aBatchHasTheEffectOfItsEventsOneAfterAnother() {
        SsoFixture org = SsoFixture.create("batch");
        UUID ada = org.user("ada@batch.test", true);
        UUID before = session(org, ada);
        UUID grace = UUID.randomUUID();
        UUID linus = UUID.randomUUID();
        UUID gone = org.user("gone@batch.test", true);
        UUID goneSession = session(org, gone);

        List<EventEnvelope> events = List.of(
                upserted(org, user(ada, "ada@batch.test", false), LATER + 1),
                upserted(org, user(grace, "shared@batch.test", true), 1),
                upserted(org, user(ada, "ada@batch.test", true), LATER + 2),
                // older than what the batch applied before it: ignored, Ada stays active
                upserted(org, user(ada, "ada@batch.test", false), LATER),
                upserted(org, user(linus, "shared@batch.test", true), 1),
                EventEnvelope.of(EventType.USER_DELETED, org.orgId, Region.API, gone.toString(), Long.MAX_VALUE,
                        new UserDeleted(gone)));
        ConsumerRecords<String, String> records = batch(events);
        consumer.onDirectoryEvents(records).await().indefinitely();

        assertEquals("user-inactive", revocation(before), "the deactivation inside the batch ended the session");
        assertEquals(true, column("active", ada));
        assertEquals(null, column("email", grace), "a later user of the batch announced the e-mail");
        assertEquals("shared@batch.test", column("email", linus));
        assertEquals(0, TestPostgres.get().count("select count(*) from sso.login_user where user_id = ?::uuid",
                gone.toString()));
        assertEquals("user-deleted", revocation(goneSession));

        // the same batch again, as after a rebalance: nothing happens, the new session lives
        UUID after = session(org, ada);
        consumer.onDirectoryEvents(batch(events)).await().indefinitely();
        assertEquals("live", revocation(after));
        assertEquals(true, column("active", ada));
    }

    @Test
    void aPoisonEventIsDeadLetteredAndTheRestOfItsBatchApplied() {
        SsoFixture org = SsoFixture.create("batch-poison");
        UUID ada = UUID.randomUUID();
        UUID grace = UUID.randomUUID();
        // a user without userName: the database refuses it (not null)
        EventEnvelope poison = upserted(org, new UserState(UUID.randomUUID(), null, null, "No", "Name", "No Name",
                "noname@batch.test", true, null, null, null, List.of()), 1);

        consumer.onDirectoryEvents(batch(List.of(upserted(org, user(ada, "ada@poison-batch.test", true), 1), poison,
                upserted(org, user(grace, "grace@poison-batch.test", true), 1)))).await().indefinitely();

        assertEquals(true, column("active", ada));
        assertEquals(true, column("active", grace));
        assertEquals(1, TestPostgres.get().count("select count(*) from sso.dead_letter where event_id = ?::uuid "
                + "and reason = 'rejected' and error like 'SQLSTATE 23502:%'", poison.id().toString()));
    }
}
