package dev.keyway.sso.saml;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * AuthnRequests sent and not yet answered, per organization, with where the user wanted to go and which browser
 * asked. A response's InResponseTo must name one of its own organization's, and uses it up (in the ACS's one
 * statement, {@link SignInRepository}).
 */
@ApplicationScoped
public class PendingRequests {

    /** A pending request: where to land once signed in (null: the organization's default), and the browser's hash. */
    public record Pending(String id, String returnTo, byte[] browserHash) {

        /** Whether the browser presenting this cookie value is the one that started the request. */
        public boolean startedBy(String browserValue) {
            return BrowserBinding.matches(browserHash, browserValue);
        }
    }

    /** Saved only while the organization has fewer live requests than the cap (counting stops at the cap). */
    private static final String SAVE = """
            insert into saml_pending_request (id, org_id, return_to, browser_hash, expires_at)
            select $1, $2, $3, $4, $5
            where (select count(*) from (select 1 from saml_pending_request
                                         where org_id = $2 and expires_at > now() limit $6) live) < $6""";
    private static final String FIND = """
            select id, return_to, browser_hash from saml_pending_request
            where id = $1 and org_id = $2 and expires_at > now()""";
    private static final String FORGET_EXPIRED = "delete from saml_pending_request where expires_at < now()";

    private final Pool pool;

    public PendingRequests(Pool pool) {
        this.pool = pool;
    }

    /** Remembers a request; false (nothing saved) if the organization already has {@code maxPending} live ones. */
    public Uni<Boolean> save(String id, UUID orgId, String returnTo, byte[] browserHash, Instant expiresAt,
            int maxPending) {
        return pool.preparedQuery(SAVE)
                .execute(Tuple.of(id, orgId, returnTo, io.vertx.core.buffer.Buffer.buffer(browserHash),
                        expiresAt.atOffset(ZoneOffset.UTC), maxPending))
                .map(rows -> rows.rowCount() == 1);
    }

    /** This organization's live request of that id, if there is one. */
    public Uni<Optional<Pending>> find(UUID orgId, String id) {
        if (id == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return pool.preparedQuery(FIND).execute(Tuple.of(id, orgId)).map(rows -> rows.size() == 0 ? Optional.empty()
                : Optional.of(pending(rows.iterator().next())));
    }

    @Scheduled(identity = "saml-pending-cleanup", every = "10m", delayed = "1m")
    Uni<Void> forgetExpired() {
        return pool.preparedQuery(FORGET_EXPIRED).execute().replaceWithVoid();
    }

    private static Pending pending(Row row) {
        Buffer hash = row.getBuffer("browser_hash");
        return new Pending(row.getString("id"), row.getString("return_to"), hash == null ? null : hash.getBytes());
    }
}
