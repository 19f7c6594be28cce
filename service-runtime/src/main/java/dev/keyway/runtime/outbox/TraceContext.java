package dev.keyway.runtime.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The W3C trace context as it travels with an event: taken from the current span when the outbox row is written,
 * stored on the row, sent as Kafka record headers, and read back by the consumer. W3C is the one format on the
 * wire whatever the deployment's propagators are, so every service reads what every other writes.
 */
record TraceContext(String traceparent, String tracestate) {

    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    /** The current context, or fields of null when nothing is being traced. */
    static TraceContext current() {
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(Context.current(), carrier, Map::put);
        return new TraceContext(carrier.get(TRACEPARENT), carrier.get(TRACESTATE));
    }

    /** Adds the non-null fields to a record's headers. */
    static void addTo(Headers headers, String traceparent, String tracestate) {
        if (traceparent != null) {
            headers.add(TRACEPARENT, traceparent.getBytes(UTF_8));
            if (tracestate != null) {
                headers.add(TRACESTATE, tracestate.getBytes(UTF_8));
            }
        }
    }

    /** The context a record's headers carry, on top of the root context; the root itself when they carry none. */
    static Context extract(Headers headers) {
        return W3C.extract(Context.root(), headers, HEADERS);
    }

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {

        @Override
        public Iterable<String> keys(Headers carrier) {
            return () -> Arrays.stream(carrier.toArray()).map(Header::key).iterator();
        }

        @Override
        public String get(Headers carrier, String key) {
            Header header = carrier == null ? null : carrier.lastHeader(key);
            return header == null ? null : new String(header.value(), UTF_8);
        }
    };
}
