package dev.keyway.scim.outbox;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventType;
import dev.keyway.common.event.GroupState;
import dev.keyway.common.event.Topics;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.outbox.Outbox;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A commit that wrote events wakes the relay of its replica: with polling all but switched off, the event is
 * published anyway, both for one event and for a batch.
 */
@QuarkusTest
@TestProfile(OutboxWakeUpTest.HourlyPolling.class)
@WithTestResource(KeywayTestStack.class)
class OutboxWakeUpTest {

    public static class HourlyPolling implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyway.outbox.poll-interval", "1h");
        }
    }

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Test
    void aCommittedEventWakesTheRelay() {
        for (int round = 0; round < 3; round++) {
            String single = UUID.randomUUID().toString();
            String batched = UUID.randomUUID().toString();
            pool.withTransaction(transaction -> outbox.append(transaction, EventType.GROUP_UPSERTED, OrgId.random(),
                    Region.API, single, new GroupState(UUID.fromString(single), "single", null)))
                    .await().atMost(Duration.ofSeconds(10));
            await("published without a poll").atMost(Duration.ofSeconds(30)).until(() -> published(single));
            pool.withTransaction(transaction -> outbox.appendAll(transaction, OrgId.random(), Region.API,
                    List.of(new Outbox.Draft(EventType.GROUP_UPSERTED, batched,
                            new GroupState(UUID.fromString(batched), "batched", null)))))
                    .await().atMost(Duration.ofSeconds(10));
            await("published without a poll").atMost(Duration.ofSeconds(30)).until(() -> published(batched));
        }
    }

    private static boolean published(String aggregateId) {
        return TestKafka.get().readAll(Topics.DIRECTORY).stream().anyMatch(record -> aggregateId.equals(record.key()));
    }
}
