package dev.keyway.runtime.organization;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

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
import dev.keyway.runtime.problem.HttpStatuses;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The projection of the organization registry that every service keeps, fed by channel {@code orgs}. */
@ApplicationScoped
public class KnownOrganizations {

    private static final Logger LOG = Logger.getLogger(KnownOrganizations.class);

    /** A slug already held by another organization (a clash between regions) is not taken over; it is logged. */
    private static final String UPSERT = """
            insert into known_organization (id, slug, display_name, region, created_at, owner_tokens_not_before,
                revoked_owner_tokens)
            select $1::uuid, $2::text, $3::text, $4::text, $5::timestamptz, $6::timestamptz, $7::text[]
            where not exists (select 1 from known_organization where slug = $2 and id <> $1)
            on conflict (id) do update set slug = excluded.slug, display_name = excluded.display_name,
                region = excluded.region, owner_tokens_not_before = excluded.owner_tokens_not_before,
                revoked_owner_tokens = excluded.revoked_owner_tokens, updated_at = now()""";
    private static final String COLUMNS = "select id, slug, display_name, region, created_at from known_organization";
    private static final String BY_SLUG = COLUMNS + " where slug = $1";
    private static final String BY_ID = COLUMNS + " where id = $1";

    private final Pool pool;
    private final IncomingEvents events;
    private final Deployment deployment;

    public KnownOrganizations(Pool pool, IncomingEvents events, Deployment deployment) {
        this.pool = pool;
        this.events = events;
        this.deployment = deployment;
    }

    @Incoming("orgs")
    public Uni<Void> onOrganizationEvent(ConsumerRecord<String, String> record) {
        return events.apply(record, this::apply);
    }

    Uni<Void> apply(SqlConnection transaction, EventEnvelope event) {
        OrganizationState org = event.payload(OrganizationState.class);
        return transaction.preparedQuery(UPSERT)
                .execute(Tuple.tuple().addUUID(org.id().value()).addString(org.slug().value())
                        .addString(org.displayName()).addString(org.region().code())
                        .addOffsetDateTime(utc(org.createdAt())).addOffsetDateTime(utc(org.ownerTokensNotBefore()))
                        .addArrayOfString(org.revokedOwnerTokens().toArray(String[]::new)))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        LOG.warnf("Organization %s not projected: slug '%s' belongs to another organization",
                                org.id(), org.slug());
                    }
                })
                .replaceWithVoid();
    }

    public Uni<Optional<KnownOrganization>> bySlug(String slug) {
        return pool.preparedQuery(BY_SLUG).execute(Tuple.of(slug)).map(KnownOrganizations::first);
    }

    /**
     * The organization an admin or protocol request names, if it is homed in this region: 404 when unknown, 421
     * naming the home region's base URL when it lives elsewhere.
     */
    public Uni<KnownOrganization> homedHere(String slug) {
        return bySlug(slug).map(found -> {
            KnownOrganization org = found.orElseThrow(() -> ApiException.notFound("No organization '" + slug + "'."));
            if (org.homeRegion() != deployment.region()) {
                throw misdirected(org.slug(), org.homeRegion());
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
            super(HttpStatuses.MISDIRECTED, detail);
            this.homeUrl = homeUrl;
        }

        public Optional<String> homeUrl() {
            return homeUrl;
        }
    }

    public Uni<Optional<KnownOrganization>> byId(OrgId id) {
        return pool.preparedQuery(BY_ID).execute(Tuple.of(id.value())).map(KnownOrganizations::first);
    }

    private static Optional<KnownOrganization> first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new KnownOrganization(row.getUUID("id"), row.getString("slug"),
                row.getString("display_name"), row.getString("region"),
                row.getOffsetDateTime("created_at").toInstant()));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
