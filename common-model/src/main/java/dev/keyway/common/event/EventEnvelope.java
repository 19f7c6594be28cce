package dev.keyway.common.event;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;

/**
 * The one envelope every event travels in.
 *
 * @param id          unique per event; consumers record it so a redelivery is a no-op
 * @param type        what happened, e.g. {@code user.upserted}
 * @param version     schema version of the payload
 * @param orgId       the tenant the event belongs to
 * @param region      the tenant's home region
 * @param occurredAt  when the change was committed by the producer
 * @param aggregateId the thing that changed; also the Kafka key, so one aggregate's events stay in order
 * @param sequence    monotonic per aggregate, starting at 1; consumers skip anything not newer than what they applied
 * @param payload     the state (or fact) the event carries
 */
public record EventEnvelope(
        UUID id,
        String type,
        int version,
        OrgId orgId,
        Region region,
        Instant occurredAt,
        String aggregateId,
        long sequence,
        EventPayload payload) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(payload, "payload");
    }

    public static EventEnvelope of(EventType type, OrgId orgId, Region region, String aggregateId, long sequence,
            EventPayload payload) {
        if (!type.payloadType().isInstance(payload)) {
            throw new IllegalArgumentException(type.wireName() + " carries " + type.payloadType().getSimpleName());
        }
        return new EventEnvelope(UUID.randomUUID(), type.wireName(), EventType.VERSION, orgId, region, Instant.now(),
                aggregateId, sequence, payload);
    }

    public EventType eventType() {
        return EventType.fromWireName(type).orElseThrow();
    }

    public <P extends EventPayload> P payload(Class<P> expected) {
        return expected.cast(payload);
    }
}
