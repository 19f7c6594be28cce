package dev.keyway.testsupport;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.OrganizationState;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;

/**
 * Registers organizations with a service under test the way production does: an {@code organization.upserted}
 * event on {@code keyway.orgs.v1}, as sso-service's outbox relay would publish it.
 */
public final class OrgAnnouncements {

    private OrgAnnouncements() {
    }

    /** A new organization with a unique slug starting with {@code prefix}. */
    public record TestOrg(OrgId id, String slug, Region region) {

        public String ownerToken() {
            return AdminTokens.owner(id, slug);
        }
    }

    /**
     * Announces a new organization and waits until the service (whose database schema is {@code schema}) has
     * projected it.
     */
    public static TestOrg announce(String schema, String prefix, Region region) {
        TestOrg org = new TestOrg(OrgId.random(), prefix + "-" + UUID.randomUUID().toString().substring(0, 8), region);
        EventEnvelope event = EventEnvelope.of(EventType.ORGANIZATION_UPSERTED, org.id(), region, org.id().toString(),
                1,
                new OrganizationState(org.id(), OrgSlug.of(org.slug()), "Org " + org.slug(), region, Instant.now()));
        TestKafka.get().publish(event);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestPostgres.get().count(
                "select count(*) from " + schema + ".known_organization where id = ?::uuid", org.id().toString()) == 1);
        return org;
    }
}
