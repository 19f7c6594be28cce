package dev.keyway.sso.organization;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.EventType;
import dev.keyway.common.event.OrganizationState;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.deployment.Deployment;
import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.runtime.outbox.Outbox;
import dev.keyway.runtime.problem.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** The organization registry: creates organizations homed in this region and announces them on keyway.orgs.v1. */
@ApplicationScoped
public class OrganizationService {

    static final int MAX_DISPLAY_NAME = 200;

    private final Pool pool;
    private final OrganizationRepository organizations;
    private final Outbox outbox;
    private final KnownOrganizations known;
    private final Deployment deployment;

    public OrganizationService(Pool pool, OrganizationRepository organizations, Outbox outbox,
            KnownOrganizations known, Deployment deployment) {
        this.pool = pool;
        this.organizations = organizations;
        this.outbox = outbox;
        this.known = known;
        this.deployment = deployment;
    }

    /**
     * Registers the organization and announces it, in one transaction; 409 if its slug is taken in any region. The
     * arguments are those of a valid {@code NewOrganization}.
     */
    public Uni<OrganizationState> create(String slug, String displayName, String region) {
        OrganizationState org = validated(slug, displayName, region);
        return known.bySlug(org.slug().value()).chain(elsewhere -> {
            if (elsewhere.isPresent() && !elsewhere.get().orgId().equals(org.id())) {
                throw taken(org.slug());
            }
            return pool.withTransaction(transaction -> organizations.insert(transaction, org).chain(inserted -> {
                if (!inserted) {
                    throw taken(org.slug());
                }
                return outbox.append(transaction, EventType.ORGANIZATION_UPSERTED, org.id(), org.region(),
                        org.id().toString(), org).replaceWith(org);
            }));
        });
    }

    public Uni<OrganizationState> bySlug(String slug) {
        return organizations.bySlug(pool, slug).map(found -> found.orElseThrow(() -> notFound(slug)));
    }

    static ApiException notFound(String slug) {
        return ApiException.notFound("No organization '" + slug + "'.");
    }

    /** The slug, display name and region were checked by the constraints on the request; what is left is ours. */
    private OrganizationState validated(String slug, String displayName, String region) {
        Region home = Region.fromCode(region);
        if (home != deployment.region()) {
            throw ApiException.badRequest("region: this deployment serves region '" + deployment.region()
                    + "'; organizations homed in '" + home + "' are created there"
                    + deployment.urlOf(home).map(url -> " (" + url + ")").orElse("") + ".");
        }
        return new OrganizationState(OrgId.random(), OrgSlug.of(slug.trim()), displayName.strip(), home,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    private static ApiException taken(OrgSlug slug) {
        return ApiException.conflict("The slug '" + slug.value() + "' is taken.");
    }
}
