package dev.keyway.sso.saml;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.keyway.runtime.log.LogSafe;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every sign-in attempt of an organization: who, when, outcome and the rule that decided; logged and counted too.
 * Log lines carry what the response said only escaped ({@link LogSafe}), and e-mails only as pseudonyms at INFO.
 */
@ApplicationScoped
public class LoginAudit {

    private static final Logger LOG = Logger.getLogger(LoginAudit.class);

    /** One attempt, as the admin API lists it. */
    public record Entry(Instant at, String subject, UUID userId, String outcome, String reason, String assertionId,
            String client) {
    }

    private static final String RECORD = """
            insert into login_audit (org_id, subject, user_id, outcome, reason, assertion_id, client)
            values ($1, $2, $3, $4, $5, $6, $7)""";
    private static final String RECORD_IF_CURRENT = """
            insert into login_audit (org_id, subject, outcome, reason, client)
            select $1, $2, 'refused', $3, $4 where exists (
                select 1 from organization where id = $1 and saml_version = $5)""";
    private static final String RECENT = """
            select at, subject, user_id, outcome, reason, assertion_id, client from login_audit
            where org_id = $1 order by at desc, id desc limit $2""";

    private final Pool pool;
    private final MeterRegistry meters;

    public LoginAudit(Pool pool, MeterRegistry meters) {
        this.pool = pool;
        this.meters = meters;
    }

    /** Logs and counts a sign-in whose audit row {@link SignInRepository} wrote. */
    public void succeeded(String slug, String subject, UUID userId) {
        meters.counter("keyway.saml.logins", "outcome", "success", "reason", "ok").increment();
        LOG.infof("SAML sign-in org=%s subject=%s user=%s", LogSafe.value(slug), LogSafe.pseudonym(subject), userId);
    }

    /** Logs and counts a refusal whose audit row is written elsewhere ({@link SignInRepository}), or not at all. */
    public void refused(String slug, String subject, SamlRejectedException rejection) {
        meters.counter("keyway.saml.logins", "outcome", "refused", "reason", rejection.reason().code()).increment();
        LOG.infof("SAML sign-in refused org=%s reason=%s subject=%s", LogSafe.value(slug), rejection.reason().code(),
                LogSafe.pseudonym(subject));
        // the detail names what the response carried (issuer, destination, e-mail): escaped, and not at INFO
        LOG.debugf("SAML sign-in refused org=%s detail=%s", LogSafe.value(slug), LogSafe.value(rejection.getMessage()));
    }

    public Uni<Void> refused(UUID orgId, String slug, String subject, SamlRejectedException rejection, String client) {
        refused(slug, subject, rejection);
        return orgId == null ? Uni.createFrom().voidItem()
                : pool.preparedQuery(RECORD)
                        .execute(Tuple.of(orgId, subject, null, "refused", rejection.reason().code(),
                                null).addValue(client))
                        .replaceWithVoid();
    }

    /**
     * Audits a refusal decided with the organization's SAML set-up of version {@code setupVersion}, only if that is
     * still its version (in the same statement); false, and nothing written or logged, if the set-up changed since.
     */
    public Uni<Boolean> refusedIfCurrent(UUID orgId, long setupVersion, String slug, String subject,
            SamlRejectedException rejection, String client) {
        return pool.preparedQuery(RECORD_IF_CURRENT).execute(Tuple.of(orgId, subject, rejection.reason().code(), client,
                setupVersion)).map(rows -> {
                    boolean current = rows.rowCount() == 1;
                    if (current) {
                        refused(slug, subject, rejection);
                    }
                    return current;
                });
    }

    public Uni<List<Entry>> recent(UUID orgId, int limit) {
        return pool.preparedQuery(RECENT).execute(Tuple.of(orgId, limit))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(LoginAudit::entry)
                        .toList());
    }

    private static Entry entry(Row row) {
        return new Entry(row.getOffsetDateTime("at").toInstant(), row.getString("subject"), row.getUUID("user_id"),
                row.getString("outcome"), row.getString("reason"), row.getString("assertion_id"),
                row.getString("client"));
    }
}
