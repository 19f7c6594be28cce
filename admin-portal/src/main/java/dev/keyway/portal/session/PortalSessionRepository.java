package dev.keyway.portal.session;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of portal sessions. */
@ApplicationScoped
public class PortalSessionRepository {

    private static final String INSERT = "insert into portal_session (id_hash, link_id, org_id, org_slug, scopes,"
            + " expires_at) values ($1, $2, $3, $4, $5, $6)";
    private static final String LIVE = "select id_hash, link_id, org_id, org_slug, scopes, expires_at"
            + " from portal_session where id_hash = $1 and expires_at > now()";
    private static final String ADD_OWNER_TOKEN = "update portal_session"
            + " set owner_token_ids = array_append(owner_token_ids, $2) where id_hash = $1";
    private static final String END = "delete from portal_session where id_hash = $1 returning owner_token_ids";
    private static final String END_OF_LINK = "delete from portal_session where link_id = $1 returning owner_token_ids";

    private final Pool pool;

    public PortalSessionRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(SqlClient transaction, byte[] idHash, UUID linkId, UUID orgId, String slug,
            List<String> scopes, Instant expiresAt) {
        return transaction.preparedQuery(INSERT)
                .execute(Tuple.tuple().addValue(Buffer.buffer(idHash)).addUUID(linkId).addUUID(orgId)
                        .addString(slug).addArrayOfString(scopes.toArray(String[]::new))
                        .addOffsetDateTime(OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    public Uni<Optional<PortalSession>> live(byte[] idHash) {
        return pool.preparedQuery(LIVE).execute(Tuple.of(Buffer.buffer(idHash))).map(rows -> {
            if (!rows.iterator().hasNext()) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            return Optional.of(new PortalSession(HexFormat.of().formatHex(row.getBuffer("id_hash").getBytes()),
                    row.getUUID("link_id"), row.getUUID("org_id"), row.getString("org_slug"),
                    Arrays.asList(row.getArrayOfStrings("scopes")), row.getOffsetDateTime("expires_at").toInstant()));
        });
    }

    public Uni<Void> addOwnerToken(String idHash, String jti) {
        return pool.preparedQuery(ADD_OWNER_TOKEN).execute(Tuple.of(Buffer.buffer(HexFormat.of().parseHex(idHash)),
                jti)).replaceWithVoid();
    }

    /** Ends one session; the ids of the owner tokens it held. */
    public Uni<List<String>> end(String idHash) {
        return pool.preparedQuery(END).execute(Tuple.of(Buffer.buffer(HexFormat.of().parseHex(idHash))))
                .map(PortalSessionRepository::tokenIds);
    }

    /** Ends every session a link opened; the ids of the owner tokens they held. */
    public Uni<List<String>> endOfLink(SqlClient transaction, UUID linkId) {
        return transaction.preparedQuery(END_OF_LINK).execute(Tuple.of(linkId))
                .map(PortalSessionRepository::tokenIds);
    }

    private static List<String> tokenIds(Iterable<Row> rows) {
        List<String> ids = new ArrayList<>();
        rows.forEach(row -> ids.addAll(Arrays.asList(row.getArrayOfStrings("owner_token_ids"))));
        return ids;
    }
}
