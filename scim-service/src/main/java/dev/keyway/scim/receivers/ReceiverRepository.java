package dev.keyway.scim.receivers;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/** Receivers and their backlog (set_delivery): registration, claiming due deliveries, acknowledgements. */
@ApplicationScoped
public class ReceiverRepository {

    private static final String BASE_COLUMNS = """
            r.id, r.name, r.mode, r.url, r.audience, r.auth_type, r.auth_secret, r.org_ids, r.event_uris, r.paused_at,
            r.pause_reason, r.last_error, r.last_error_at, r.last_delivered_at, r.created_at""";
    private static final String COLUMNS = BASE_COLUMNS + """
            , (select count(*) from set_delivery d where d.receiver_id = r.id) as backlog,
            (select min(e.occurred_at) from set_delivery d join set_event e on e.id = d.event_id
             where d.receiver_id = r.id) as oldest_pending_at""";
    private static final String INSERT = """
            insert into event_receiver (id, name, mode, url, audience, auth_type, auth_secret, poll_token_hash,
                org_ids, event_uris)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""";
    private static final String FIND = "select " + COLUMNS + " from event_receiver r where r.id = $1";
    private static final String LIST = "select " + COLUMNS + " from event_receiver r order by r.name";
    /** Without the backlog figures: read on every delivery cycle. */
    private static final String ACTIVE_PUSH = "select " + BASE_COLUMNS
            + ", 0::bigint as backlog, null::timestamptz as oldest_pending_at"
            + " from event_receiver r where r.mode = 'push' and r.paused_at is null";
    private static final String BY_TOKEN = "select id, audience from event_receiver where poll_token_hash = $1 and mode = 'poll'";
    private static final String DELETE = "delete from event_receiver where id = $1";
    private static final String PAUSE = """
            update event_receiver set paused_at = now(), pause_reason = $2 where id = $1 and paused_at is null""";
    /** Resuming retries the backlog now, its failures forgotten, so the endpoint gets the full retry period again. */
    private static final String RESUME = "update event_receiver set paused_at = null, pause_reason = null where id = $1";
    private static final String RESET_BACKLOG = """
            update set_delivery set next_attempt_at = now(), first_failed_at = null, attempts = 0, leased_until = null
            where receiver_id = $1""";
    private static final String REPLAY = """
            insert into set_delivery (receiver_id, event_id, subject)
            select r.id, e.id, e.subject from event_receiver r join set_event e on e.occurred_at >= $2
            where r.id = $1 and (r.org_ids is null or e.org_id = any (r.org_ids))
              and (r.event_uris is null or r.event_uris && e.event_uris)
            on conflict (receiver_id, event_id) do nothing""";

    /**
     * The head of each subject's queue that is due and not being sent by another replica: a row waits while an
     * earlier row of its subject exists (being sent, or backing off), so one user's SETs go out one at a time, in
     * order. Leased for a while rather than locked, so no transaction stays open during the HTTP call.
     */
    private static final String CLAIM = """
            with due as (
                select c.receiver_id, c.event_id from set_delivery c
                where c.receiver_id = $1 and c.next_attempt_at <= now()
                  and (c.leased_until is null or c.leased_until < now())
                  and not exists (select 1 from set_delivery e where e.receiver_id = c.receiver_id
                                  and e.subject = c.subject and e.event_id < c.event_id)
                order by c.event_id limit $2
                for update of c skip locked)
            update set_delivery d set leased_until = now() + make_interval(secs => $3), attempts = d.attempts + 1
            from due, set_event ev
            where d.receiver_id = due.receiver_id and d.event_id = due.event_id and ev.id = d.event_id
            returning d.event_id, d.attempts, ev.jti, ev.txn, ev.org_id, ev.subject, ev.sequence, ev.payload,
                      ev.occurred_at""";
    private static final String DELIVERED = "delete from set_delivery where receiver_id = $1 and event_id = any ($2)";
    private static final String STAMP_DELIVERED = "update event_receiver set last_delivered_at = now() where id = $1";
    private static final String FAILED = """
            update set_delivery set leased_until = null, next_attempt_at = now() + make_interval(secs => $3),
                first_failed_at = coalesce(first_failed_at, now()), last_error = $4
            where receiver_id = $1 and event_id = $2 returning first_failed_at""";
    private static final String STAMP_ERROR = """
            update event_receiver set last_error = $2, last_error_at = now() where id = $1""";

    /** A SET of the log, as a receiver's backlog holds it. */
    public record Pending(long eventId, int attempts, UUID jti, String txn, UUID orgId, String subject, long sequence,
            String payload, Instant occurredAt) {
    }

    private final Pool pool;

    public ReceiverRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(UUID id, ReceiverRequest request, String audience, String authType, String sealedSecret,
            byte[] pollTokenHash) {
        Tuple values = Tuple.of(id, request.name(), request.mode(), request.url()).addString(audience)
                .addString(authType).addString(sealedSecret).addValue(pollTokenHash == null ? null
                        : Buffer.buffer(pollTokenHash))
                .addArrayOfUUID(request.organizations() == null || request.organizations().isEmpty() ? null
                        : request.organizations().toArray(UUID[]::new))
                .addArrayOfString(request.eventTypes() == null || request.eventTypes().isEmpty() ? null
                        : request.eventTypes().toArray(String[]::new));
        return pool.preparedQuery(INSERT).execute(values).replaceWithVoid();
    }

    public Uni<Receiver> find(UUID id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : receiver(rows.iterator().next()));
    }

    public Uni<List<Receiver>> list() {
        return pool.query(LIST).execute().map(ReceiverRepository::receivers);
    }

    public Uni<List<Receiver>> activePush() {
        return pool.query(ACTIVE_PUSH).execute().map(ReceiverRepository::receivers);
    }

    /** The poll receiver holding this token hash: its id and audience, or null. */
    public Uni<Receiver> byPollToken(byte[] hash) {
        return pool.preparedQuery(BY_TOKEN).execute(Tuple.of(Buffer.buffer(hash)))
                .chain(rows -> rows.size() == 0 ? Uni.createFrom().nullItem()
                        : find(rows.iterator().next().getUUID("id")));
    }

    public Uni<Boolean> delete(UUID id) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> pause(UUID id, String reason) {
        return pause(pool, id, reason);
    }

    private static Uni<Boolean> pause(SqlClient client, UUID id, String reason) {
        return client.preparedQuery(PAUSE).execute(Tuple.of(id, reason)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> resume(UUID id) {
        return pool.withTransaction(transaction -> transaction.preparedQuery(RESUME).execute(Tuple.of(id))
                .chain(() -> transaction.preparedQuery(RESET_BACKLOG).execute(Tuple.of(id)))).replaceWithVoid();
    }

    /** Queues every logged event since {@code from} that this receiver takes; returns how many were queued. */
    public Uni<Integer> replay(UUID id, Instant from) {
        return pool.preparedQuery(REPLAY).execute(Tuple.of(id, OffsetDateTime.ofInstant(from, ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }

    public Uni<List<Pending>> claim(UUID receiverId, int limit, Duration lease) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(receiverId, limit, (double) lease.toSeconds()))
                .map(rows -> {
                    List<Pending> claimed = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        claimed.add(pending(row));
                    }
                    claimed.sort((a, b) -> Long.compare(a.eventId(), b.eventId()));
                    return claimed;
                });
    }

    public Uni<Void> delivered(UUID receiverId, List<Long> eventIds) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(DELIVERED).execute(Tuple.of(receiverId, eventIds.toArray(Long[]::new)))
                .chain(() -> pool.preparedQuery(STAMP_DELIVERED).execute(Tuple.of(receiverId))).replaceWithVoid();
    }

    /**
     * Records a failed attempt and when to try again; pauses the receiver when this SET has been failing since
     * before {@code giveUpBefore}. Returns whether it paused the receiver.
     */
    public Uni<Boolean> failed(UUID receiverId, long eventId, Duration retryIn, String error, Instant giveUpBefore) {
        return pool.withTransaction(transaction -> transaction.preparedQuery(FAILED)
                .execute(Tuple.of(receiverId, eventId, retryIn.toMillis() / 1000.0, error))
                .call(() -> transaction.preparedQuery(STAMP_ERROR).execute(Tuple.of(receiverId, error)))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    Instant firstFailed = rows.iterator().next().getOffsetDateTime("first_failed_at").toInstant();
                    return firstFailed.isBefore(giveUpBefore)
                            ? pause(transaction, receiverId, "failing since " + firstFailed + ": " + error)
                            : Uni.createFrom().item(false);
                }));
    }

    public static boolean isNameTaken(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && "event_receiver_name_key".equals(pg.getConstraint());
    }

    static Pending pending(Row row) {
        return new Pending(row.getLong("event_id"), row.getInteger("attempts") == null ? 0 : row.getInteger("attempts"),
                row.getUUID("jti"), row.getString("txn"), row.getUUID("org_id"), row.getString("subject"),
                row.getLong("sequence"), row.getString("payload"),
                row.getOffsetDateTime("occurred_at").toInstant());
    }

    private static List<Receiver> receivers(RowSet<Row> rows) {
        List<Receiver> receivers = new ArrayList<>(rows.size());
        for (Row row : rows) {
            receivers.add(receiver(row));
        }
        return receivers;
    }

    private static Receiver receiver(Row row) {
        UUID[] orgs = row.getArrayOfUUIDs("org_ids");
        String[] types = row.getArrayOfStrings("event_uris");
        return new Receiver(row.getUUID("id"), row.getString("name"), row.getString("mode"), row.getString("url"),
                row.getString("audience"), row.getString("auth_type"), row.getString("auth_secret"),
                orgs == null ? null : Arrays.asList(orgs), types == null ? null : Arrays.asList(types),
                instant(row, "paused_at"), row.getString("pause_reason"), row.getString("last_error"),
                instant(row, "last_error_at"), instant(row, "last_delivered_at"), instant(row, "created_at"),
                row.getLong("backlog"), instant(row, "oldest_pending_at"));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
