package dev.keyway.portal.link;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of setup links. */
@ApplicationScoped
public class SetupLinkRepository {

    private static final String COLUMNS = "id, org_id, org_slug, scopes, created_at, expires_at, used_at, revoked_at";
    private static final String INSERT = "insert into setup_link (id, org_id, org_slug, token_hash, scopes, expires_at)"
            + " values ($1, $2, $3, $4, $5, $6) returning " + COLUMNS;
    private static final String BY_HASH = "select " + COLUMNS + " from setup_link where token_hash = $1 for update";
    private static final String MARK_USED = "update setup_link set used_at = now() where id = $1";
    private static final String REVOKE = "update setup_link set revoked_at = coalesce(revoked_at, now())"
            + " where id = $1 returning " + COLUMNS;
    private static final String OF_ORG = "select " + COLUMNS + " from setup_link where org_slug = $1"
            + " order by created_at desc limit 100";

    private final Pool pool;

    public SetupLinkRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<SetupLink> insert(UUID id, UUID orgId, String slug, byte[] tokenHash, List<String> scopes,
            Instant expiresAt) {
        return pool.preparedQuery(INSERT)
                .execute(Tuple.of(id, orgId, slug, Buffer.buffer(tokenHash), scopes.toArray(String[]::new),
                        OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
                .map(rows -> of(rows.iterator().next()));
    }

    public Uni<Optional<SetupLink>> byHash(byte[] tokenHash) {
        return pool.preparedQuery(BY_HASH.replace(" for update", "")).execute(Tuple.of(Buffer.buffer(tokenHash)))
                .map(SetupLinkRepository::first);
    }

    /** Locks the link's row for the rest of the transaction, so it is exchanged at most once. */
    public Uni<Optional<SetupLink>> lockByHash(SqlClient transaction, byte[] tokenHash) {
        return transaction.preparedQuery(BY_HASH).execute(Tuple.of(Buffer.buffer(tokenHash)))
                .map(SetupLinkRepository::first);
    }

    public Uni<Void> markUsed(SqlClient transaction, UUID id) {
        return transaction.preparedQuery(MARK_USED).execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Optional<SetupLink>> revoke(SqlClient transaction, UUID id) {
        return transaction.preparedQuery(REVOKE).execute(Tuple.of(id)).map(SetupLinkRepository::first);
    }

    public Uni<List<SetupLink>> ofOrganization(String slug) {
        return pool.preparedQuery(OF_ORG).execute(Tuple.of(slug))
                .map(rows -> {
                    List<SetupLink> links = new ArrayList<>();
                    rows.forEach(row -> links.add(of(row)));
                    return links;
                });
    }

    private static Optional<SetupLink> first(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? Optional.of(of(rows.iterator().next())) : Optional.empty();
    }

    private static SetupLink of(Row row) {
        return new SetupLink(row.getUUID("id"), row.getUUID("org_id"), row.getString("org_slug"),
                Arrays.asList(row.getArrayOfStrings("scopes")), instant(row.getOffsetDateTime("created_at")),
                instant(row.getOffsetDateTime("expires_at")), instant(row.getOffsetDateTime("used_at")),
                instant(row.getOffsetDateTime("revoked_at")));
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
