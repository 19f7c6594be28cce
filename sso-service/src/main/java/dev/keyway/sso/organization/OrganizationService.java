package dev.keyway.sso.organization;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.EventType;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.deployment.Deployment;
import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.runtime.outbox.Outbox;
import dev.keyway.runtime.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The organization registry: creates organizations homed in this region and announces them on keyway.orgs.v1. */
@ApplicationScoped
public class OrganizationService {

    static final int MAX_DISPLAY_NAME = 200;

    private final Outbox outbox;
    private final KnownOrganizations known;
    private final Deployment deployment;

    public OrganizationService(Outbox outbox, KnownOrganizations known, Deployment deployment) {
        this.outbox = outbox;
        this.known = known;
        this.deployment = deployment;
    }

    public Uni<Organization> create(String slug, String displayName, String region) {
        Organization org = validated(slug, displayName, region);
        return known.bySlug(org.slug).chain(elsewhere -> {
            if (elsewhere.isPresent() && !elsewhere.get().id.equals(org.id)) {
                throw taken(org.slug);
            }
            return Panache.withTransaction(() -> Organization.count("slug", org.slug).chain(count -> {
                if (count > 0) {
                    throw taken(org.slug);
                }
                return org.<Organization>persist()
                        .call(() -> outbox.append(EventType.ORGANIZATION_UPSERTED, org.orgId(), org.homeRegion(),
                                org.id.toString(), org.state()));
            }));
        }).onFailure(OrganizationService::isUniqueViolation).transform(e -> taken(org.slug));
    }

    public Uni<Organization> bySlug(String slug) {
        return Panache.withSession(() -> Organization.<Organization>find("slug", slug).firstResult())
                .onItem().ifNull().failWith(() -> ApiException.notFound("No organization '" + slug + "'."));
    }

    private Organization validated(String slug, String displayName, String region) {
        Organization org = new Organization();
        org.id = UUID.randomUUID();
        try {
            org.slug = OrgSlug.of(slug == null ? "" : slug.trim()).value();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("slug: " + e.getMessage() + ".");
        }
        if (displayName == null || displayName.isBlank() || displayName.length() > MAX_DISPLAY_NAME) {
            throw ApiException.badRequest("displayName: required, at most " + MAX_DISPLAY_NAME + " characters.");
        }
        org.displayName = displayName.strip();
        Region home;
        try {
            home = Region.fromCode(region);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("region: must be 'api' or 'eu'.");
        }
        if (home != deployment.region()) {
            throw ApiException.badRequest("region: this deployment serves region '" + deployment.region()
                    + "'; organizations homed in '" + home + "' are created there"
                    + deployment.urlOf(home).map(url -> " (" + url + ")").orElse("") + ".");
        }
        org.region = home.code();
        org.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        org.updatedAt = org.createdAt;
        return org;
    }

    private static ApiException taken(String slug) {
        return ApiException.conflict("The slug '" + slug + "' is taken.");
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
