package dev.keyway.sso.tracing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.Topics;
import dev.keyway.common.event.UserState;
import dev.keyway.common.tenant.Region;
import dev.keyway.sso.SsoFixture;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An event whose record carries a W3C traceparent (what scim-service's outbox relay sends) is applied in a span of
 * that trace, a child of the producer's span: one trace from the SCIM write to sso-service's projection.
 */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class ConsumedEventTraceTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PRODUCER_SPAN_ID = "00f067aa0ba902b7";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aConsumedEventJoinsTheTraceItsRecordCarries() {
        SsoFixture org = SsoFixture.create("traced");
        UUID user = UUID.randomUUID();
        EventEnvelope event = EventEnvelope.of(EventType.USER_UPSERTED, org.orgId, Region.API, user.toString(), 1,
                new UserState(user, "ada@traced.test", null, "Ada", "Lovelace", "Ada Lovelace", "ada@traced.test",
                        true, null, null, null, List.of()));
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.DIRECTORY, user.toString(),
                EventCodec.encode(event));
        record.headers().add("traceparent", ("00-" + TRACE_ID + "-" + PRODUCER_SPAN_ID + "-01").getBytes(UTF_8));
        TestKafka.get().publish(record);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            SpanData consumed = spans.getFinishedSpanItems().stream()
                    .filter(span -> span.getKind() == SpanKind.CONSUMER && TRACE_ID.equals(span.getTraceId()))
                    .findFirst().orElseThrow(() -> new AssertionError("no consumer span in trace " + TRACE_ID));
            assertEquals(PRODUCER_SPAN_ID, consumed.getParentSpanId());
            assertEquals(1, TestPostgres.get().count("select count(*) from sso.login_user where user_id = ?::uuid",
                    user.toString()));
            assertEquals(Topics.DIRECTORY, consumed.getAttributes().get(
                    AttributeKey.stringKey("messaging.destination.name")));
        });
    }
}
