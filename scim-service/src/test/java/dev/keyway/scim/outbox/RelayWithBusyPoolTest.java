package dev.keyway.scim.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventType;
import dev.keyway.common.event.GroupState;
import dev.keyway.common.event.Topics;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.outbox.Outbox;
import dev.keyway.scim.SmallPoolProfile;
import dev.keyway.testsupport.HeldConnections;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Events are published while requests hold every other connection of the pool and more ask for one: the relay works
 * on a connection of its own, so a burst of writes queued for the pool never holds the events back (under 200 SCIM
 * writes/s a relay that queued for a connection per batch fell behind for good).
 */
@QuarkusTest
@TestProfile(SmallPoolProfile.class)
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class RelayWithBusyPoolTest {

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Test
    void eventsArePublishedWhileRequestsHoldEveryOtherConnection() {
        // as many requests as the pool has connections: all but the relay's are handed out, the last one waits and is
        // then refused
        try (HeldConnections held = new HeldConnections(pool).take(SmallPoolProfile.POOL_SIZE,
                SmallPoolProfile.POOL_SIZE - 1)) {
            SqlConnection writer = held.first();
            String aggregate = UUID.randomUUID().toString();
            writer.begin().chain(transaction -> outbox.append(writer, EventType.GROUP_UPSERTED, OrgId.random(),
                    Region.API, aggregate, new GroupState(UUID.fromString(aggregate), "busy", null))
                    .call(transaction::commit)).await().atMost(Duration.ofSeconds(10));

            await("published while no connection was free").atMost(Duration.ofSeconds(30))
                    .until(() -> published(aggregate));
            assertEquals(SmallPoolProfile.POOL_SIZE - 1, held.count(), "the relay kept its connection throughout");
        }
    }

    private static boolean published(String aggregateId) {
        return TestKafka.get().readAll(Topics.DIRECTORY).stream().anyMatch(record -> aggregateId.equals(record.key()));
    }
}
