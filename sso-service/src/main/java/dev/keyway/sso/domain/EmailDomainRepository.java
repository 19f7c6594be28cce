package dev.keyway.sso.domain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** The email_domain table (and the organization ids it hangs from). Queries only. */
@ApplicationScoped
public class EmailDomainRepository {

    private static final String ORGANIZATION = "select id from organization where slug = $1";
    private static final String COLUMNS = "domain, token, claimed_at, verified_at, last_checked_at, last_failure";
    private static final String LIST = "select " + COLUMNS + " from email_domain where org_id = $1 order by domain";
    private static final String FIND = "select " + COLUMNS + " from email_domain where org_id = $1 and domain = $2";
    // the cap is checked in the insert itself, so a burst of claims cannot pass it together by much
    private static final String CLAIM = """
            insert into email_domain (org_id, domain, token)
            select $1::uuid, $2::text, $3::text where (select count(*) from email_domain where org_id = $1) < $4::int
            on conflict (org_id, domain) do nothing returning\s""" + COLUMNS;
    private static final String VERIFIED = """
            update email_domain set verified_at = coalesce(verified_at, now()), last_checked_at = now(),
                last_failure = null where org_id = $1 and domain = $2 returning\s""" + COLUMNS;
    private static final String NOT_VERIFIED = """
            update email_domain set last_checked_at = now(), last_failure = $3 where org_id = $1 and domain = $2""";
    private static final String RELEASE = "delete from email_domain where org_id = $1 and domain = $2";

    private final Pool pool;

    public EmailDomainRepository(Pool pool) {
        this.pool = pool;
    }

    /** The id of the organization registered here under this slug, if any. */
    public Uni<Optional<UUID>> organizationId(String slug) {
        return pool.preparedQuery(ORGANIZATION).execute(Tuple.of(slug))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("id")));
    }

    public Uni<List<EmailDomain>> list(UUID org) {
        return pool.preparedQuery(LIST).execute(Tuple.of(org))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(EmailDomainRepository::domain)
                        .toList());
    }

    public Uni<Optional<EmailDomain>> find(UUID org, String name) {
        return pool.preparedQuery(FIND).execute(Tuple.of(org, name)).map(EmailDomainRepository::first);
    }

    /**
     * Claims a domain unless the organization already claims it or claims {@code cap} domains.
     *
     * @return the new claim; empty if nothing was inserted
     */
    public Uni<Optional<EmailDomain>> claim(UUID org, String name, String token, int cap) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(org, name, token, cap)).map(EmailDomainRepository::first);
    }

    /** Marks a claim verified (a unique index refuses a domain verified by another organization: SQLSTATE 23505). */
    public Uni<EmailDomain> markVerified(UUID org, String name) {
        return pool.preparedQuery(VERIFIED).execute(Tuple.of(org, name)).map(rows -> first(rows).orElseThrow());
    }

    public Uni<Void> markNotVerified(UUID org, String name, String why) {
        return pool.preparedQuery(NOT_VERIFIED).execute(Tuple.of(org, name, why)).replaceWithVoid();
    }

    /** @return whether the organization claimed the domain */
    public Uni<Boolean> release(UUID org, String name) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(org, name)).map(rows -> rows.rowCount() > 0);
    }

    private static Optional<EmailDomain> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(domain(rows.iterator().next()));
    }

    private static EmailDomain domain(Row row) {
        return new EmailDomain(row.getString("domain"), row.getString("token"), instant(row, "claimed_at"),
                instant(row, "verified_at"), instant(row, "last_checked_at"), row.getString("last_failure"));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
