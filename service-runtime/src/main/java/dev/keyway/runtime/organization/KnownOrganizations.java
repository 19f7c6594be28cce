package dev.keyway.runtime.organization;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.OrganizationState;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.deployment.Deployment;
import dev.keyway.runtime.outbox.IncomingEvents;
import dev.keyway.runtime.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;

/** The projection of the organization registry that every service keeps, fed by channel {@code orgs}. */
@ApplicationScoped
public class KnownOrganizations {

    private static final Logger LOG = Logger.getLogger(KnownOrganizations.class);

    /** A slug already held by another organization (a clash between regions) is not taken over; it is logged. */
    private static final String UPSERT = """
            insert into known_organization (id, slug, display_name, region, created_at, owner_tokens_not_before,
                revoked_owner_tokens)
            select ?1, ?2, ?3, ?4, ?5, ?6, array(select jsonb_array_elements_text(cast(cast(?7 as text) as jsonb)))
            where not exists (select 1 from known_organization where slug = ?2 and id <> ?1)
            on conflict (id) do update set slug = excluded.slug, display_name = excluded.display_name,
                region = excluded.region, owner_tokens_not_before = excluded.owner_tokens_not_before,
                revoked_owner_tokens = excluded.revoked_owner_tokens, updated_at = now()""";

    /** 421 Misdirected Request: the right service, but in another region. */
    public static final Response.StatusType MISDIRECTED = new Response.StatusType() {
        @Override
        public int getStatusCode() {
            return 421;
        }

        @Override
        public Response.Status.Family getFamily() {
            return Response.Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
            return "Misdirected Request";
        }
    };

    private final IncomingEvents events;
    private final Deployment deployment;

    public KnownOrganizations(IncomingEvents events, Deployment deployment) {
        this.events = events;
        this.deployment = deployment;
    }

    @Incoming("orgs")
    public Uni<Void> onOrganizationEvent(ConsumerRecord<String, String> record) {
        return events.apply(record, this::apply);
    }

    Uni<Void> apply(EventEnvelope event) {
        OrganizationState org = event.payload(OrganizationState.class);
        return Panache.getSession().chain(session -> session.createNativeQuery(UPSERT)
                .setParameter(1, org.id().value())
                .setParameter(2, org.slug().value())
                .setParameter(3, org.displayName())
                .setParameter(4, org.region().code())
                .setParameter(5, org.createdAt())
                .setParameter(6, org.ownerTokensNotBefore())
                .setParameter(7, new JsonArray(org.revokedOwnerTokens()).encode())
                .executeUpdate())
                .invoke(rows -> {
                    if (rows == 0) {
                        LOG.warnf("Organization %s not projected: slug '%s' belongs to another organization",
                                org.id(), org.slug());
                    }
                })
                .replaceWithVoid();
    }

    public Uni<Optional<KnownOrganization>> bySlug(String slug) {
        return Panache.withSession(() -> KnownOrganization.<KnownOrganization>find("slug", slug).firstResult())
                .map(Optional::ofNullable);
    }

    /**
     * The organization an admin or protocol request names, if it is homed in this region: 404 when unknown, 421
     * naming the home region's base URL when it lives elsewhere.
     */
    public Uni<KnownOrganization> homedHere(String slug) {
        return bySlug(slug).map(found -> {
            KnownOrganization org = found.orElseThrow(() -> ApiException.notFound("No organization '" + slug + "'."));
            if (org.homeRegion() != deployment.region()) {
                throw misdirected(org.slug, org.homeRegion());
            }
            return org;
        });
    }

    /** The answer for a request about an organization homed in another region. */
    public Misdirected misdirected(String slug, Region home) {
        Optional<String> homeUrl = deployment.urlOf(home);
        return new Misdirected(homeUrl, "Organization '" + slug + "' is homed in region '" + home + "'"
                + homeUrl.map(url -> "; use " + url).orElse("") + ".");
    }

    /** 421 naming the organization's home region and, where configured, this service's base URL there. */
    public static final class Misdirected extends ApiException {

        private final Optional<String> homeUrl;

        Misdirected(Optional<String> homeUrl, String detail) {
            super(MISDIRECTED, detail);
            this.homeUrl = homeUrl;
        }

        public Optional<String> homeUrl() {
            return homeUrl;
        }
    }

    public Uni<Optional<KnownOrganization>> byId(OrgId id) {
        return Panache.withSession(() -> KnownOrganization.<KnownOrganization>findById(id.value()))
                .map(Optional::ofNullable);
    }
}
