package dev.keyway.sso.oidc.logout;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Back-channel logouts owed to apps, written in the transaction that ended the sessions (so none is lost, none sent
 * for a change that did not commit), then delivered and retried by {@link LogoutDelivery}.
 */
@ApplicationScoped
public class LogoutDeliveryRepository {

    /** A logout token to deliver: to whom, for which user and session. */
    public record Due(UUID id, String clientId, UUID userId, UUID sessionId, String uri, int attempts,
            Instant createdAt) {
    }

    // one delivery per client and session of the user whose live grants end here; the grants end with them
    private static final String RECORD_FOR = """
            with ended as (
                update oidc_grant set revoked_at = now() where %s and revoked_at is null
                returning client_id, user_id, session_id)
            insert into oidc_logout_delivery (id, client_id, user_id, session_id, uri)
            select gen_random_uuid(), e.client_id, e.user_id, e.session_id, c.backchannel_logout_uri
            from (select distinct client_id, user_id, session_id from ended) e
            join oidc_client c on c.client_id = e.client_id
            where c.backchannel_logout_uri is not null""";
    private static final String RECORD_FOR_USER = RECORD_FOR.formatted("user_id = $1");
    private static final String RECORD_FOR_SESSION = RECORD_FOR.formatted("session_id = $1");
    private static final String TRANSFER_GRANTS = "update oidc_grant set user_id = $2 where user_id = any($1)";
    // a lease: the rows are this replica's for the timeout, then due again if it never reported back
    private static final String CLAIM = """
            update oidc_logout_delivery set next_attempt_at = now() + make_interval(secs => $2::float8),
                attempts = attempts + 1
            where id in (select id from oidc_logout_delivery
                         where delivered_at is null and given_up_at is null and next_attempt_at <= now()
                         order by next_attempt_at limit $1 for update skip locked)
            returning id, client_id, user_id, session_id, uri, attempts, created_at""";
    private static final String DELIVERED = "update oidc_logout_delivery set delivered_at = now(), last_error = null "
            + "where id = $1";
    private static final String FAILED = """
            update oidc_logout_delivery set next_attempt_at = $2, last_error = $3 where id = $1""";
    private static final String GIVEN_UP = """
            update oidc_logout_delivery set given_up_at = now(), last_error = $2 where id = $1""";

    private final Pool pool;

    public LogoutDeliveryRepository(Pool pool) {
        this.pool = pool;
    }

    /** Ends the live grants of users and records a delivery for each, in one round trip: how many were recorded. */
    public Uni<Integer> recordForUsers(SqlConnection transaction, List<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return transaction.preparedQuery(RECORD_FOR_USER)
                .executeBatch(userIds.stream().map(id -> Tuple.of(id)).toList())
                .map(rows -> {
                    int recorded = 0;
                    for (RowSet<Row> each = rows; each != null; each = each.next()) {
                        recorded += each.rowCount();
                    }
                    return recorded;
                });
    }

    public Uni<Integer> recordForSession(UUID sessionId) {
        return pool.preparedQuery(RECORD_FOR_SESSION).execute(Tuple.of(sessionId))
                .map(rows -> rows.rowCount());
    }

    /** The grants of users that no longer stand on their own follow the user who stands for them now. */
    public Uni<Void> transferGrants(SqlConnection transaction, List<UUID> fromUserIds, UUID toUserId) {
        if (fromUserIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return transaction.preparedQuery(TRANSFER_GRANTS)
                .execute(Tuple.of(fromUserIds.toArray(UUID[]::new), toUserId)).replaceWithVoid();
    }

    public Uni<List<Due>> claim(int batch, long leaseSeconds) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(batch, leaseSeconds)).map(rows -> StreamSupport
                .stream(rows.spliterator(), false)
                .map(row -> new Due(row.getUUID("id"), row.getString("client_id"), row.getUUID("user_id"),
                        row.getUUID("session_id"), row.getString("uri"), row.getInteger("attempts"),
                        row.getOffsetDateTime("created_at").toInstant()))
                .toList());
    }

    public Uni<Void> delivered(UUID id) {
        return pool.preparedQuery(DELIVERED).execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Void> failed(UUID id, Instant nextAttempt, String error) {
        return pool.preparedQuery(FAILED).execute(Tuple.of(id, nextAttempt.atOffset(ZoneOffset.UTC), error))
                .replaceWithVoid();
    }

    public Uni<Void> givenUp(UUID id, String error) {
        return pool.preparedQuery(GIVEN_UP).execute(Tuple.of(id, error)).replaceWithVoid();
    }
}
