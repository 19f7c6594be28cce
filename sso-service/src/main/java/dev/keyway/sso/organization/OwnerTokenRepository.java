package dev.keyway.sso.organization;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The owner_token table. Queries only; rules and transactions live in {@link OwnerTokens}. */
@ApplicationScoped
public class OwnerTokenRepository {

    private static final String INSERT = """
            insert into owner_token (jti, org_id, issued_at, expires_at) values ($1, $2, $3, $4)""";
    private static final String LOCK = """
            select jti, org_id, issued_at, expires_at, revoked_at from owner_token where jti = $1 and org_id = $2
            for update""";
    private static final String REVOKE = "update owner_token set revoked_at = $2 where jti = $1";
    /** Revoked one by one, still presentable, and not already covered by the revoke-all instant. */
    private static final String STILL_REVOKED = """
            select jti from owner_token
            where org_id = $1 and revoked_at is not null and expires_at > $2
                and ($3::timestamptz is null or issued_at >= $3)
            order by issued_at, jti""";

    public Uni<Void> insert(SqlClient client, IssuedOwnerToken token) {
        return client.preparedQuery(INSERT).execute(Tuple.of(token.jti(), token.orgId(), utc(token.issuedAt()),
                utc(token.expiresAt()))).replaceWithVoid();
    }

    /** The organization's token, locked until the transaction ends; empty if it has none with that id. */
    public Uni<Optional<IssuedOwnerToken>> lock(SqlConnection transaction, UUID orgId, UUID jti) {
        return transaction.preparedQuery(LOCK).execute(Tuple.of(jti, orgId)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            return Optional.of(new IssuedOwnerToken(row.getUUID("jti"), row.getUUID("org_id"),
                    instant(row.getOffsetDateTime("issued_at")), instant(row.getOffsetDateTime("expires_at")),
                    instant(row.getOffsetDateTime("revoked_at"))));
        });
    }

    public Uni<Void> revoke(SqlConnection transaction, UUID jti, Instant at) {
        return transaction.preparedQuery(REVOKE).execute(Tuple.of(jti, utc(at))).replaceWithVoid();
    }

    /**
     * Ids of the organization's tokens revoked one by one that expire after {@code expiringAfter} and were issued at
     * or after {@code notBefore} (when set), oldest first.
     */
    public Uni<List<String>> stillRevoked(SqlConnection transaction, UUID orgId, Instant expiringAfter,
            Instant notBefore) {
        return transaction.preparedQuery(STILL_REVOKED)
                .execute(Tuple.of(orgId, utc(expiringAfter), utc(notBefore)))
                .map(rows -> {
                    List<String> ids = new ArrayList<>(rows.size());
                    rows.forEach(row -> ids.add(row.getUUID("jti").toString()));
                    return ids;
                });
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
