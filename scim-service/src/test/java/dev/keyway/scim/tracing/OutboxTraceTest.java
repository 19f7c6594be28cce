package dev.keyway.scim.tracing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import dev.keyway.common.event.Topics;
import dev.keyway.scim.ScimOrg;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A SCIM write made inside a traced request stores that request's trace context on its outbox row, and the relay
 * sends it as the Kafka record's traceparent header: the consumers' spans join the writer's trace.
 */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class OutboxTraceTest {

    /** The caller's trace (a JumpCloud-side span): the server span, and so the write, become part of it. */
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    @Test
    void aWritesEventCarriesTheRequestsTrace() {
        ScimOrg org = ScimOrg.create("traced");
        String id = org.scim().header("traceparent", "00-" + TRACE_ID + "-b7ad6b7169203331-01")
                .body("{\"userName\":\"trace@acme.test\",\"emails\":[{\"value\":\"trace@acme.test\",\"primary\":true}]}")
                .post("/Users").then().statusCode(201).extract().path("id");

        // the outbox row keeps it until the relay has published it (and deleted the row) with it as a header
        await().atMost(Duration.ofSeconds(20)).until(() -> recordsOf(id).size() == 1);
        Header header = recordsOf(id).get(0).headers().lastHeader("traceparent");
        String sent = header == null ? null : new String(header.value(), UTF_8);
        assertTrue(sent != null && sent.startsWith("00-" + TRACE_ID + "-"), "record traceparent: " + sent);
    }

    private static List<ConsumerRecord<String, String>> recordsOf(String aggregateId) {
        return TestKafka.get().readAll(Topics.DIRECTORY).stream().filter(record -> aggregateId.equals(record.key()))
                .toList();
    }
}
