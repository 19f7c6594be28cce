package dev.keyway.runtime.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The relay's hourly clean-up deletes dead letters older than keyway.events.dead-letter-retention (P30D) and keeps
 * younger ones, which an operator may still replay. In this package to run the clean-up the scheduler runs.
 */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class DeadLetterRetentionTest {

    private static final String TOPIC = "dead-letter-retention.test";

    @Inject
    OutboxRelay relay;

    @Test
    void deadLettersPastTheirRetentionAreDeletedYoungerOnesKept() {
        TestPostgres db = TestPostgres.get();
        db.execute("insert into sso.dead_letter (topic, kafka_partition, kafka_offset, reason, error, dead_lettered_at)"
                + " values ('" + TOPIC + "', 0, 1, 'malformed', 'old', now() - interval '31 days'),"
                + " ('" + TOPIC + "', 0, 2, 'malformed', 'recent', now() - interval '29 days'),"
                + " ('" + TOPIC + "', 0, 3, 'rejected', 'new', now())");

        relay.forgetOldRows().await().indefinitely();

        assertEquals(0, db.count("select count(*) from sso.dead_letter where topic = ? and error = 'old'", TOPIC));
        assertEquals(2, db.count("select count(*) from sso.dead_letter where topic = ? and error in ('recent', 'new')",
                TOPIC));
    }
}
