package dev.keyway.common.event;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;

/**
 * Events as JSON. Decoding is tolerant by design: unknown fields are ignored (producers may be newer), and an
 * unknown event type decodes to empty rather than failing, so additive evolution never stalls a consumer.
 */
public final class EventCodec {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private EventCodec() {
    }

    public static String encode(EventEnvelope event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id() + " cannot be written as JSON", e);
        }
    }

    /**
     * The event as JSON with its sequence left out: {@code head + sequence + tail} is the event numbered
     * {@code sequence}. A producer that learns the number only when it writes the event (the outbox) joins the text
     * around it instead of parsing and rewriting the JSON.
     */
    public static Unnumbered encodeUnnumbered(EventEnvelope event) {
        String text = encode(new EventEnvelope(event.id(), event.type(), event.version(), event.orgId(),
                event.region(), event.occurredAt(), event.aggregateId(), 0, event.payload()));
        // the envelope's fields come before its payload, and no string value can hold an unescaped quote, so the
        // first occurrence is the envelope's own field
        int at = text.indexOf(SEQUENCE_FIELD);
        if (at < 0) {
            throw new IllegalStateException("event " + event.id() + " was written without its sequence");
        }
        int value = at + SEQUENCE_FIELD.length();
        return new Unnumbered(text.substring(0, value), text.substring(value + 1));
    }

    private static final String SEQUENCE_FIELD = "\"sequence\":";

    /** An event's JSON around its sequence number. */
    public record Unnumbered(String head, String tail) {

        public String numbered(long sequence) {
            return head + sequence + tail;
        }
    }

    /** A payload alone, e.g. for a producer that keeps the state it last published to compare the next one with. */
    public static String encodePayload(EventPayload payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(payload.getClass().getSimpleName() + " cannot be written as JSON", e);
        }
    }

    public static <P extends EventPayload> P decodePayload(String text, Class<P> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    /**
     * @return the event, or empty if its type is unknown to this build
     * @throws MalformedEventException if the text is not an event at all
     */
    public static Optional<EventEnvelope> decode(String text) {
        try {
            JsonNode tree = JSON.readTree(text);
            if (!(tree instanceof ObjectNode envelope)) {
                throw new MalformedEventException("not a JSON object");
            }
            Optional<EventType> type = EventType.fromWireName(envelope.path("type").asText());
            if (type.isEmpty()) {
                return Optional.empty();
            }
            EventPayload payload = JSON.treeToValue(envelope.path("payload"), type.get().payloadType());
            return Optional.of(new EventEnvelope(
                    JSON.treeToValue(required(envelope, "id"), UUID.class),
                    type.get().wireName(),
                    envelope.path("version").asInt(EventType.VERSION),
                    OrgId.parse(required(envelope, "orgId").asText()),
                    Region.fromCode(required(envelope, "region").asText()),
                    JSON.treeToValue(required(envelope, "occurredAt"), Instant.class),
                    required(envelope, "aggregateId").asText(),
                    required(envelope, "sequence").asLong(),
                    payload));
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException(e.getMessage(), e);
        }
    }

    private static JsonNode required(ObjectNode envelope, String field) {
        JsonNode value = envelope.get(field);
        if (value == null || value.isNull()) {
            throw new MalformedEventException("missing '" + field + "'");
        }
        return value;
    }

    /** Text on a Keyway topic that is not a readable event; it can never be applied, so consumers skip it. */
    public static final class MalformedEventException extends RuntimeException {

        MalformedEventException(String message) {
            super(message);
        }

        MalformedEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
