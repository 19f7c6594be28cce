package dev.keyway.sso.signing;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The signing_key table. Queries only; private halves stay sealed here. */
@ApplicationScoped
public class SigningKeyRepository {

    /** A key as stored: the private half sealed, the public half as X.509 SubjectPublicKeyInfo bytes. */
    public record StoredKey(String kid, String sealedPrivateKey, byte[] publicKey, Instant createdAt,
            Instant activatesAt) {
    }

    private static final String PUBLISHED = """
            select kid, private_key, public_key, created_at, activates_at from signing_key
            where retired_at is null order by activates_at desc, created_at desc""";
    /** Replicas rotating at once take turns; the second then finds a fresh key and adds none. */
    private static final String LOCK = "select pg_advisory_xact_lock(hashtext('keyway.signing_key'))";
    private static final String NEWEST = "select max(created_at) from signing_key";
    /** The very first key signs at once: nothing was signed yet that a verifier would need another key for. */
    private static final String CREATE = """
            insert into signing_key (kid, private_key, public_key, created_at, activates_at)
            select $1, $2, $3, $4::timestamptz,
                case when exists (select 1 from signing_key) then $5::timestamptz else $4::timestamptz end""";
    /** Keys superseded by a key that has signed for longer than any token lives. */
    private static final String RETIRE = """
            update signing_key old set retired_at = now(), private_key = null
            where retired_at is null and exists (select 1 from signing_key newer
                where newer.activates_at > old.activates_at and newer.activates_at <= $1)""";

    private final Pool pool;

    public SigningKeyRepository(Pool pool) {
        this.pool = pool;
    }

    /** Every key not retired, newest activation first. */
    public Uni<List<StoredKey>> published() {
        return pool.preparedQuery(PUBLISHED).execute().map(rows -> {
            List<StoredKey> keys = new ArrayList<>();
            for (Row row : rows) {
                keys.add(new StoredKey(row.getString("kid"), row.getString("private_key"),
                        row.getBuffer("public_key").getBytes(), row.getOffsetDateTime("created_at").toInstant(),
                        row.getOffsetDateTime("activates_at").toInstant()));
            }
            return keys;
        });
    }

    /** When the newest key was created; empty when there is none. */
    public Uni<Optional<Instant>> newestCreatedAt(SqlClient client) {
        return client.preparedQuery(NEWEST).execute()
                .map(rows -> Optional.ofNullable(rows.iterator().next().getOffsetDateTime(0))
                        .map(OffsetDateTime::toInstant));
    }

    /** Holds the lock every replica takes to create a key, until the transaction ends. */
    public Uni<Void> lockForCreation(SqlClient transaction) {
        return transaction.query(LOCK).execute().replaceWithVoid();
    }

    /** Adds a key; it signs from {@code activatesAt}, or from {@code createdAt} if it is the very first. */
    public Uni<Void> insert(SqlClient transaction, String kid, String sealedPrivateKey, byte[] publicKey,
            Instant createdAt, Instant activatesAt) {
        return transaction.preparedQuery(CREATE).execute(Tuple.of(kid, sealedPrivateKey, Buffer.buffer(publicKey),
                utc(createdAt), utc(activatesAt))).replaceWithVoid();
    }

    /**
     * Retires (and forgets the private half of) every key superseded by one that activated at or before
     * {@code cutoff}.
     *
     * @return how many keys were retired
     */
    public Uni<Integer> retireSupersededBy(Instant cutoff) {
        return pool.preparedQuery(RETIRE).execute(Tuple.of(utc(cutoff))).map(rows -> rows.rowCount());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
