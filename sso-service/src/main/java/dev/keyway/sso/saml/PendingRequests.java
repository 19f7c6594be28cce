package dev.keyway.sso.saml;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * AuthnRequests sent and not yet answered, per organization, with where the user wanted to go. A response's
 * InResponseTo must name one of its own organization's, and uses it up.
 */
@ApplicationScoped
public class PendingRequests {

    /** A pending request: where to land once signed in (null: the organization's default). */
    public record Pending(String id, String returnTo) {
    }

    private static final String SAVE = """
            insert into saml_pending_request (id, org_id, return_to, expires_at) values ($1, $2, $3, $4)""";
    private static final String FIND = """
            select id, return_to from saml_pending_request where id = $1 and org_id = $2 and expires_at > now()""";
    private static final String TAKE = "delete from saml_pending_request where id = $1 and org_id = $2";
    private static final String FORGET_EXPIRED = "delete from saml_pending_request where expires_at < now()";

    private final Pool pool;

    public PendingRequests(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> save(String id, UUID orgId, String returnTo, Instant expiresAt) {
        return pool.preparedQuery(SAVE).execute(Tuple.of(id, orgId, returnTo, expiresAt.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** This organization's live request of that id, if there is one. */
    public Uni<Optional<Pending>> find(UUID orgId, String id) {
        if (id == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return pool.preparedQuery(FIND).execute(Tuple.of(id, orgId)).map(rows -> rows.size() == 0 ? Optional.empty()
                : Optional.of(new Pending(id, rows.iterator().next().getString("return_to"))));
    }

    /** Uses the request up; false if another response got there first. */
    public Uni<Boolean> take(SqlConnection transaction, UUID orgId, String id) {
        return transaction.preparedQuery(TAKE).execute(Tuple.of(id, orgId)).map(rows -> rows.rowCount() == 1);
    }

    @Scheduled(identity = "saml-pending-cleanup", every = "10m", delayed = "1m")
    Uni<Void> forgetExpired() {
        return pool.preparedQuery(FORGET_EXPIRED).execute().replaceWithVoid();
    }
}
