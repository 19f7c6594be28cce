package dev.keyway.common.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;

class EventCodecTest {

    private static final OrgId ORG = OrgId.random();
    private static final UUID USER = UUID.randomUUID();
    private static final UUID GROUP = UUID.randomUUID();
    private static final UUID INTEGRATION = UUID.randomUUID();

    /** One example payload per event type; the test below fails if a type is added without one. */
    private static final Map<EventType, EventPayload> EXAMPLES = Map.of(
            EventType.ORGANIZATION_UPSERTED,
            new OrganizationState(ORG, OrgSlug.of("acme"), "Acme Corp", Region.EU,
                    Instant.parse("2026-01-02T03:04:05.123456Z")),
            EventType.USER_UPSERTED,
            new UserState(USER, "ada@acme.test", "jc-1", "Ada", "Lovelace", "Ada Lovelace", "ada@acme.test", true,
                    "Engineer", "R&D", "E-7", List.of(GROUP)),
            EventType.USER_DELETED, new UserDeleted(USER),
            EventType.GROUP_UPSERTED, new GroupState(GROUP, "Engineering", "jc-group-1"),
            EventType.GROUP_DELETED, new GroupDeleted(GROUP),
            EventType.DEPARTMENT_UPSERTED, new DepartmentState(UUID.randomUUID(), "R&D", false),
            EventType.IMPORT_USER_IMPORTED, imported(true),
            EventType.IMPORT_USER_CHANGED, imported(false),
            EventType.IMPORT_USER_LEFT, new ImportedUserLeft(INTEGRATION, "5f1a", "ada@acme.test", "deleted"),
            EventType.IMPORT_GROUP_SELECTED, new ImportedGroup(INTEGRATION, "Engineering"));

    private static ImportedUser imported(boolean active) {
        return new ImportedUser(INTEGRATION, "5f1a", "ada", "ada@acme.test", "Ada", "Lovelace", "Engineer", "R&D",
                "E-7", "5f0b", active, List.of("Engineering", "All staff"));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventTypeSurvivesARoundTrip(EventType type) {
        EventPayload payload = EXAMPLES.get(type);
        EventEnvelope event = EventEnvelope.of(type, ORG, Region.EU, "aggregate-1", 7, payload);

        EventEnvelope decoded = EventCodec.decode(EventCodec.encode(event)).orElseThrow();

        assertEquals(event, decoded);
        assertEquals(type, decoded.eventType());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void anEventNumberedLaterReadsAsIfWrittenWithItsNumber(EventType type) {
        // an aggregate id holding the field's own text cannot be mistaken for the field
        EventEnvelope event = EventEnvelope.of(type, ORG, Region.EU, "a\"sequence\":0,\"b", 0, EXAMPLES.get(type));

        EventEnvelope decoded = EventCodec.decode(EventCodec.encodeUnnumbered(event).numbered(4711)).orElseThrow();

        assertEquals(new EventEnvelope(event.id(), event.type(), event.version(), ORG, Region.EU, event.occurredAt(),
                event.aggregateId(), 4711, event.payload()), decoded);
    }

    @Test
    void onlyOrganizationEventsGoOnTheTopicThatCrossesRegions() {
        assertEquals(Set.of(EventType.ORGANIZATION_UPSERTED), Arrays.stream(EventType.values())
                .filter(type -> type.topic().equals(Topics.ORGS)).collect(Collectors.toSet()));
    }

    @Test
    void everyEventTypeHasAnExample() {
        assertEquals(Arrays.stream(EventType.values()).collect(Collectors.toSet()), EXAMPLES.keySet());
    }

    @Test
    void anEventWithFieldsThisBuildDoesNotKnowStillDecodes() {
        EventEnvelope event = EventEnvelope.of(EventType.GROUP_UPSERTED, ORG, Region.API, GROUP.toString(), 3,
                EXAMPLES.get(EventType.GROUP_UPSERTED));
        String newer = EventCodec.encode(event)
                .replace("\"payload\":{", "\"payload\":{\"colour\":\"blue\",\"owners\":[1,2],")
                .replace("\"sequence\":3", "\"sequence\":3,\"traceId\":\"abc\"");

        assertEquals(event, EventCodec.decode(newer).orElseThrow());
    }

    @Test
    void anEventWithoutAFieldAddedLaterGetsItsDefault() {
        EventEnvelope event = EventEnvelope.of(EventType.USER_UPSERTED, ORG, Region.API, USER.toString(), 1,
                EXAMPLES.get(EventType.USER_UPSERTED));
        String older = EventCodec.encode(event).replaceAll(",\"groupIds\":\\[[^]]*]", "");

        UserState user = EventCodec.decode(older).orElseThrow().payload(UserState.class);

        assertEquals(List.of(), user.groupIds());
        assertEquals("ada@acme.test", user.userName());
    }

    @Test
    void anEventTypeThisBuildDoesNotKnowIsSkippedNotFailed() {
        String future = EventCodec.encode(EventEnvelope.of(EventType.USER_DELETED, ORG, Region.API, "x", 1,
                new UserDeleted(USER))).replace("\"user.deleted\"", "\"user.merged\"");

        assertTrue(EventCodec.decode(future).isEmpty());
    }

    @Test
    void textThatIsNotAnEventIsRejectedAsMalformed() {
        for (String text : List.of("", "[]", "{\"type\":\"user.deleted\"}", "not json",
                "{\"type\":\"user.deleted\",\"id\":\"not-a-uuid\",\"payload\":{}}")) {
            assertThrows(EventCodec.MalformedEventException.class, () -> EventCodec.decode(text), text);
        }
    }

    @Test
    void theEnvelopeRefusesAPayloadOfAnotherType() {
        assertThrows(IllegalArgumentException.class, () -> EventEnvelope.of(EventType.USER_UPSERTED, ORG, Region.API,
                "x", 1, new UserDeleted(USER)));
    }
}
