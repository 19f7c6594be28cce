package dev.keyway.scim.token;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.tenant.Region;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The scim_token and scim_api_key tables, for the admin API and for authentication alike. Queries only; rules and
 * transactions live in {@link ScimTokenService}.
 */
@ApplicationScoped
public class ScimTokenRepository {

    /** An active token found by its hash, with what authenticating a request with it needs. */
    public record Presented(UUID id, byte[] tokenHash, UUID orgId, String slug, Region region, boolean groupsEnabled,
            String apiKey) {
    }

    private static final String INSERT = """
            insert into scim_token (id, org_id, token_hash, hint, created_at) values ($1, $2, $3, $4, $5)""";
    private static final String ACTIVE = """
            select id, org_id, token_hash, hint, created_at, last_used_at, revoked_at from scim_token
            where org_id = $1 and revoked_at is null order by created_at""";
    private static final String REVOKE = """
            update scim_token set revoked_at = now() where id = $1 and org_id = $2 and revoked_at is null""";
    private static final String ENSURE_API_KEY = """
            insert into scim_api_key (org_id, api_key) values ($1, $2) on conflict (org_id) do nothing""";
    private static final String API_KEY = "select api_key from scim_api_key where org_id = $1";
    private static final String PRESENTED = """
            select t.id, t.token_hash, t.org_id, o.slug, o.region, coalesce(s.groups_enabled, true) as groups_enabled,
                   k.api_key
            from scim_token t
            join known_organization o on o.id = t.org_id
            left join scim_settings s on s.org_id = t.org_id
            left join scim_api_key k on k.org_id = t.org_id
            where t.token_hash = $1 and t.revoked_at is null""";
    /** At most one write a minute per token, so busy clients do not turn reads into writes. */
    private static final String TOUCH = """
            update scim_token set last_used_at = now()
            where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')""";

    private final Pool pool;

    public ScimTokenRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(SqlConnection transaction, ScimToken token) {
        return transaction.preparedQuery(INSERT).execute(Tuple.of(token.id(), token.orgId(),
                Buffer.buffer(token.tokenHash()), token.hint(), token.createdAt().atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** The organization's tokens that are not revoked, oldest first. */
    public Uni<List<ScimToken>> active(SqlClient client, UUID orgId) {
        return client.preparedQuery(ACTIVE).execute(Tuple.of(orgId)).map(rows -> {
            List<ScimToken> tokens = new ArrayList<>(rows.size());
            for (Row row : rows) {
                tokens.add(new ScimToken(row.getUUID("id"), row.getUUID("org_id"),
                        row.getBuffer("token_hash").getBytes(), row.getString("hint"),
                        row.getOffsetDateTime("created_at").toInstant(), instant(row.getOffsetDateTime("last_used_at")),
                        instant(row.getOffsetDateTime("revoked_at"))));
            }
            return tokens;
        });
    }

    /** @return false if the organization has no active token with that id */
    public Uni<Boolean> revoke(SqlConnection transaction, UUID orgId, UUID id) {
        return transaction.preparedQuery(REVOKE).execute(Tuple.of(id, orgId)).map(rows -> rows.rowCount() == 1);
    }

    /** The organization's API key, created with {@code candidate} if it has none yet. */
    public Uni<String> apiKey(SqlConnection transaction, UUID orgId, String candidate) {
        return transaction.preparedQuery(ENSURE_API_KEY).execute(Tuple.of(orgId, candidate))
                .chain(() -> transaction.preparedQuery(API_KEY).execute(Tuple.of(orgId)))
                .map(rows -> rows.iterator().next().getString("api_key"));
    }

    /** The active token with this hash, if there is one. */
    public Uni<Optional<Presented>> presented(byte[] hash) {
        return pool.preparedQuery(PRESENTED).execute(Tuple.of(Buffer.buffer(hash))).map(rows -> {
            if (rows.size() != 1) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            return Optional.of(new Presented(row.getUUID("id"), row.getBuffer("token_hash").getBytes(),
                    row.getUUID("org_id"), row.getString("slug"), Region.fromCode(row.getString("region")),
                    row.getBoolean("groups_enabled"), row.getString("api_key")));
        });
    }

    /** Stamps the token as used, unless it was within the last minute. */
    public Uni<Void> touch(UUID id) {
        return pool.preparedQuery(TOUCH).execute(Tuple.of(id)).replaceWithVoid();
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
