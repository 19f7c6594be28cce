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
    private static final String RECENT = """
            select at, subject, user_id, outcome, reason, assertion_id, client from login_audit
            where org_id = $1 order by at desc, id desc limit $2""";

    private final Pool pool;
    private final MeterRegistry meters;

    public LoginAudit(Pool pool, MeterRegistry meters) {
        this.pool = pool;
        this.meters = meters;
    }

    public Uni<Void> succeeded(UUID orgId, String slug, String subject, UUID userId, String assertionId,
            String client) {
        meters.counter("keyway.saml.logins", "outcome", "success", "reason", "ok").increment();
        LOG.infof("SAML sign-in org=%s subject=%s user=%s", LogSafe.value(slug), LogSafe.pseudonym(subject), userId);
        return record(orgId, subject, userId, "success", "ok", assertionId, client);
    }

    public Uni<Void> refused(UUID orgId, String slug, String subject, SamlRejectedException rejection, String client) {
        meters.counter("keyway.saml.logins", "outcome", "refused", "reason", rejection.reason().code()).increment();
        LOG.infof("SAML sign-in refused org=%s reason=%s subject=%s", LogSafe.value(slug), rejection.reason().code(),
                LogSafe.pseudonym(subject));
        // the detail names what the response carried (issuer, destination, e-mail): escaped, and not at INFO
        LOG.debugf("SAML sign-in refused org=%s detail=%s", LogSafe.value(slug), LogSafe.value(rejection.getMessage()));
        return orgId == null ? Uni.createFrom().voidItem()
                : record(orgId, subject, null, "refused", rejection.reason().code(), null, client);
    }

    public Uni<List<Entry>> recent(UUID orgId, int limit) {
        return pool.preparedQuery(RECENT).execute(Tuple.of(orgId, limit))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(LoginAudit::entry)
                        .toList());
    }

    private Uni<Void> record(UUID orgId, String subject, UUID userId, String outcome, String reason,
            String assertionId, String client) {
        return pool.preparedQuery(RECORD).execute(Tuple.of(orgId, subject, userId, outcome, reason, assertionId)
                .addValue(client)).replaceWithVoid();
    }

    private static Entry entry(Row row) {
        return new Entry(row.getOffsetDateTime("at").toInstant(), row.getString("subject"), row.getUUID("user_id"),
                row.getString("outcome"), row.getString("reason"), row.getString("assertion_id"),
                row.getString("client"));
    }
}
