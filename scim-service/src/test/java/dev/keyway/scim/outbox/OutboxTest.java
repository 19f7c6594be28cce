package dev.keyway.scim.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.GroupState;
import dev.keyway.common.event.Topics;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.outbox.Outbox;
import dev.keyway.runtime.outbox.Outbox.Draft;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The outbox as producers rely on it: events numbered 1, 2, 3… per aggregate in the order written, whether one at a
 * time or a large batch over several statements; published in that order; gone from the outbox once published; and
 * nothing at all from a transaction that rolled back. (Kafka being down: {@code KafkaOutageTest} in sso-service.)
 */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class OutboxTest {

    private static final OrgId ORG = OrgId.random();

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Test
    void eachAggregatesEventsAreNumberedAndPublishedInTheOrderWrittenAcrossBatchStatements() {
        String often = UUID.randomUUID().toString();
        String rest = UUID.randomUUID().toString();
        pool.withTransaction(transaction -> outbox.append(transaction, EventType.GROUP_UPSERTED, ORG, Region.API,
                often, group(often, 0))).await().atMost(Duration.ofSeconds(10));
        List<Draft> drafts = new ArrayList<>();
        for (int i = 1; i <= 2500; i++) {
            // every third event is the same aggregate's: in every statement of the batch, several times in each
            String aggregate = i % 3 == 0 ? often : rest;
            drafts.add(new Draft(EventType.GROUP_UPSERTED, aggregate, group(aggregate, i)));
        }
        pool.withTransaction(transaction -> outbox.appendAll(transaction, ORG, Region.API, drafts))
                .await().atMost(Duration.ofSeconds(30));

        List<EventEnvelope> published = await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(often),
                events -> events.size() == 834);
        assertEquals(LongStream.rangeClosed(1, 834).boxed().toList(),
                published.stream().map(EventEnvelope::sequence).toList(), "numbered in the order written");
        List<String> written = new ArrayList<>(List.of("0"));
        for (int i = 3; i <= 2500; i += 3) {
            written.add(Integer.toString(i));
        }
        assertEquals(written, published.stream().map(event -> event.payload(GroupState.class).displayName()).toList(),
                "published in the order written");
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(rest).size() == 1667);
        await("published events leave the outbox").atMost(Duration.ofSeconds(30)).until(() -> TestPostgres.get()
                .count("select count(*) from scim.outbox where aggregate_id in (?, ?)", often, rest) == 0);
    }

    @Test
    void aTransactionThatRollsBackLeavesNoEventAndNoNumber() {
        String rolledBack = UUID.randomUUID().toString();
        String committed = UUID.randomUUID().toString();
        RuntimeException refused = new IllegalStateException("the change was refused");

        assertThrows(IllegalStateException.class, () -> pool.withTransaction(transaction -> outbox
                .appendAll(transaction, ORG, Region.API, List.of(
                        new Draft(EventType.GROUP_UPSERTED, rolledBack, group(rolledBack, 1)),
                        new Draft(EventType.GROUP_UPSERTED, rolledBack, group(rolledBack, 2))))
                .chain(() -> outbox.append(transaction, EventType.GROUP_UPSERTED, ORG, Region.API, rolledBack,
                        group(rolledBack, 3)))
                .chain(() -> Uni.createFrom().failure(refused))).await().atMost(Duration.ofSeconds(10)));
        pool.withTransaction(transaction -> outbox.append(transaction, EventType.GROUP_UPSERTED, ORG, Region.API,
                committed, group(committed, 1))).await().atMost(Duration.ofSeconds(10));

        // the relay publishes in the order written: once the later event is out, the earlier ones would be too
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(committed).size() == 1);
        assertTrue(eventsOf(rolledBack).isEmpty());
        assertEquals(0, TestPostgres.get().count(
                "select count(*) from scim.outbox_sequence where aggregate_id = ?", rolledBack));
        assertEquals(1, eventsOf(committed).get(0).sequence());
    }

    private static GroupState group(String aggregate, int order) {
        return new GroupState(UUID.fromString(aggregate), Integer.toString(order), null);
    }

    private static List<EventEnvelope> eventsOf(String aggregateId) {
        return TestKafka.get().readAll(Topics.DIRECTORY).stream()
                .filter(record -> aggregateId.equals(record.key()))
                .map(record -> EventCodec.decode(record.value()).orElseThrow()).toList();
    }
}
