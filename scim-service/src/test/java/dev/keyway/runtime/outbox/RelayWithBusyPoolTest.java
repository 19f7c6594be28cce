package dev.keyway.runtime.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
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
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Events are published while requests hold every other connection of the pool and more wait for one: the relay works
 * on a connection of its own, so a burst of writes queued for the pool never holds the events back (under 200 SCIM
 * writes/s a relay that queued for a connection per batch fell behind for good).
 */
@QuarkusTest
@TestProfile(RelayWithBusyPoolTest.SmallPool.class)
@WithTestResource(KeywayTestStack.class)
class RelayWithBusyPoolTest {

    private static final int POOL_SIZE = 4;

    /** A small pool, and no connection held by the SCIM token cache: only the relay keeps one. */
    public static class SmallPool implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", Integer.toString(POOL_SIZE),
                    "keyway.scim.token-cache.max-age", "0");
        }
    }

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    private final List<SqlConnection> held = new ArrayList<>();
    private boolean released;

    @Test
    void eventsArePublishedWhileRequestsHoldEveryOtherConnection() {
        // as many requests as the pool has connections: all but the relay's are handed out, the last one waits
        for (int i = 0; i < POOL_SIZE; i++) {
            pool.getConnection().subscribe().with(this::hold);
        }
        try {
            await("the pool handed out every connection but the relay's").atMost(Duration.ofSeconds(30))
                    .until(() -> heldCount() >= POOL_SIZE - 1);
            SqlConnection writer = firstHeld();
            String aggregate = UUID.randomUUID().toString();
            writer.begin().chain(transaction -> outbox.append(writer, EventType.GROUP_UPSERTED, OrgId.random(),
                    Region.API, aggregate, new GroupState(UUID.fromString(aggregate), "busy", null))
                    .call(transaction::commit)).await().atMost(Duration.ofSeconds(10));

            await("published while no connection was free").atMost(Duration.ofSeconds(30))
                    .until(() -> published(aggregate));
            assertEquals(POOL_SIZE - 1, heldCount(), "the relay kept its connection throughout");
        } finally {
            releaseAll();
        }
    }

    private synchronized void hold(SqlConnection connection) {
        if (released) {
            connection.closeAndForget();
        } else {
            held.add(connection);
        }
    }

    private synchronized int heldCount() {
        return held.size();
    }

    private synchronized SqlConnection firstHeld() {
        return held.get(0);
    }

    /** The waiting request gets its connection once these are back, and hands it back at once. */
    private synchronized void releaseAll() {
        released = true;
        held.forEach(SqlConnection::closeAndForget);
        held.clear();
    }

    private static boolean published(String aggregateId) {
        return TestKafka.get().readAll(Topics.DIRECTORY).stream().anyMatch(record -> aggregateId.equals(record.key()));
    }
}
