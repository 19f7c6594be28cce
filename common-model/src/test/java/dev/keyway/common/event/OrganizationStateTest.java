package dev.keyway.common.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;

/** Owner-token revocations ride on the organization's state; older and newer producers must understand each other. */
class OrganizationStateTest {

    private static final OrgId ORG = OrgId.random();
    private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05.123456Z");

    @Test
    void revocationsSurviveARoundTrip() {
        OrganizationState state = new OrganizationState(ORG, OrgSlug.of("acme"), "Acme", Region.API, CREATED,
                Instant.parse("2026-02-03T04:05:06Z"), List.of("jti-1", "jti-2"));
        EventEnvelope event = EventEnvelope.of(EventType.ORGANIZATION_UPSERTED, ORG, Region.API, ORG.toString(), 2,
                state);

        assertEquals(state, EventCodec.decode(EventCodec.encode(event)).orElseThrow().payload(OrganizationState.class));
    }

    @Test
    void aStateFromAProducerThatPredatesRevocationRevokesNothing() {
        String older = """
                {"id":"%s","type":"organization.upserted","version":1,"orgId":"%s","region":"api",
                 "occurredAt":"2026-01-02T03:04:05Z","aggregateId":"%s","sequence":1,
                 "payload":{"id":"%s","slug":"acme","displayName":"Acme","region":"api",
                            "createdAt":"2026-01-02T03:04:05Z"}}
                """.formatted(java.util.UUID.randomUUID(), ORG, ORG, ORG);

        OrganizationState state = EventCodec.decode(older).orElseThrow().payload(OrganizationState.class);

        assertNull(state.ownerTokensNotBefore());
        assertEquals(List.of(), state.revokedOwnerTokens());
    }
}
