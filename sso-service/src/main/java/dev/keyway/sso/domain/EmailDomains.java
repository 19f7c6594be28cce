package dev.keyway.sso.domain;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.runtime.problem.ApiException;
import dev.keyway.runtime.problem.HttpStatuses;
import dev.keyway.sso.config.SsoConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * The e-mail domains organizations claim, and their proof: a claim gets a random token to publish as a DNS TXT
 * record; checking finds it (then the domain is verified) or says why not. A domain is verified for one organization
 * at most (a unique index on verified domains decides races).
 */
@ApplicationScoped
public class EmailDomains {

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


    private static final SecureRandom RANDOM = new SecureRandom();

    /** A claim, and whether this request made it (or it existed already). */
    public record Claimed(EmailDomain domain, boolean created) {
    }

    private final Pool pool;
    private final KnownOrganizations known;
    private final TxtRecords txt;
    private final SsoConfig config;

    public EmailDomains(Pool pool, KnownOrganizations known, TxtRecords txt, SsoConfig config) {
        this.pool = pool;
        this.known = known;
        this.txt = txt;
        this.config = config;
    }

    public Uni<List<EmailDomain>> list(String slug) {
        return orgId(slug).chain(org -> pool.preparedQuery(LIST).execute(Tuple.of(org)))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(EmailDomains::domain).toList());
    }

    public Uni<EmailDomain> get(String slug, String domain) {
        String name = DomainName.parse(domain);
        return orgId(slug).chain(org -> find(org, name));
    }

    /** Claims a domain (unverified); claiming it again returns the existing claim and its token. */
    public Uni<Claimed> claim(String slug, String domain) {
        String name = DomainName.parse(domain);
        return orgId(slug).chain(org -> pool.preparedQuery(CLAIM)
                .execute(Tuple.of(org, name, newToken(), config.maxEmailDomains()))
                .chain(rows -> rows.size() > 0 ? Uni.createFrom().item(new Claimed(first(rows), true))
                        : pool.preparedQuery(FIND).execute(Tuple.of(org, name)).map(existing -> {
                            if (existing.size() == 0) {
                                throw new ApiException(Response.Status.CONFLICT, "too-many-domains", "This "
                                        + "organization claims " + config.maxEmailDomains() + " domains, the most "
                                        + "allowed; delete one first.");
                            }
                            return new Claimed(first(existing), false);
                        })));
    }

    /** Looks the TXT record up now; verified if it holds the claim's value, 422 saying what DNS holds otherwise. */
    public Uni<EmailDomain> verify(String slug, String domain) {
        String name = DomainName.parse(domain);
        return orgId(slug).chain(org -> find(org, name).chain(claim -> txt.at(claim.challengeName())
                .onFailure(TxtRecords.Unavailable.class).call(failure -> notVerified(org, claim, failure.getMessage()
                        + " for " + claim.challengeName() + "."))
                .onFailure(TxtRecords.Unavailable.class).transform(failure -> new ApiException(
                        Response.Status.BAD_GATEWAY, "dns-unavailable", failure.getMessage() + " for "
                                + claim.challengeName() + "; try again later."))
                .chain(values -> {
                    if (values.contains(claim.challengeValue())) {
                        return pool.preparedQuery(VERIFIED).execute(Tuple.of(org, name)).map(EmailDomains::first)
                                .onFailure(EmailDomains::isUniqueViolation).transform(e -> new ApiException(
                                        Response.Status.CONFLICT, "domain-verified-elsewhere", "Another organization "
                                                + "has verified " + name + "; a domain counts for one organization."));
                    }
                    ApiException refusal = values.isEmpty()
                            ? new ApiException(HttpStatuses.UNPROCESSABLE, "txt-record-missing", "No TXT record at "
                                    + claim.challengeName() + ". Publish one holding " + claim.challengeValue()
                                    + ", then verify again (DNS changes can take a while to appear).")
                            : new ApiException(HttpStatuses.UNPROCESSABLE, "txt-record-mismatch", "The TXT records at "
                                    + claim.challengeName() + " do not hold " + claim.challengeValue()
                                    + ". Publish it exactly, then verify again.");
                    return notVerified(org, claim, refusal.getMessage())
                            .chain(() -> Uni.createFrom().<EmailDomain>failure(refusal));
                })));
    }

    /** Gives a domain up: it no longer counts for this organization (and another may verify it). */
    public Uni<Void> release(String slug, String domain) {
        String name = DomainName.parse(domain);
        return orgId(slug).chain(org -> pool.preparedQuery(RELEASE).execute(Tuple.of(org, name))).invoke(rows -> {
            if (rows.rowCount() == 0) {
                throw notClaimed(name);
            }
        }).replaceWithVoid();
    }

    private Uni<EmailDomain> find(UUID org, String name) {
        return pool.preparedQuery(FIND).execute(Tuple.of(org, name)).map(rows -> {
            if (rows.size() == 0) {
                throw notClaimed(name);
            }
            return first(rows);
        });
    }

    private Uni<Void> notVerified(UUID org, EmailDomain claim, String why) {
        return pool.preparedQuery(NOT_VERIFIED).execute(Tuple.of(org, claim.domain(), why)).replaceWithVoid();
    }

    /** This region's organization; 421 naming its home for another region's, 404 for an unknown one. */
    private Uni<UUID> orgId(String slug) {
        return pool.preparedQuery(ORGANIZATION).execute(Tuple.of(slug)).chain(rows -> rows.size() > 0
                ? Uni.createFrom().item(rows.iterator().next().getUUID("id"))
                : known.homedHere(slug).map(here -> {
                    throw ApiException.notFound("No organization '" + slug + "'.");
                }));
    }

    private static ApiException notClaimed(String name) {
        return ApiException.notFound("This organization does not claim " + name + ".");
    }

    /** 256 random bits, URL-safe: unguessable, so only who controls the domain's DNS can publish it. */
    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static EmailDomain first(RowSet<Row> rows) {
        return domain(rows.iterator().next());
    }

    private static EmailDomain domain(Row row) {
        return new EmailDomain(row.getString("domain"), row.getString("token"), instant(row, "claimed_at"),
                instant(row, "verified_at"), instant(row, "last_checked_at"), row.getString("last_failure"));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static boolean isUniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
