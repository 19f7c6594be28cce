package dev.keyway.sso.oidc.token;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Grants (a client's share of a user's session) and the opaque access and refresh tokens issued on them. A grant is
 * read with its user's claims as the directory holds them now.
 */
@ApplicationScoped
public class TokenRepository {

    /** A live grant: not revoked, its user active in the login directory. */
    public record Grant(UUID id, String clientId, UUID orgId, UUID userId, UUID sessionId, String scope,
            JsonObject claims, Instant authTime) {
    }

    // The claims as the directory holds them now, over those of the sign-in: a refreshed ID token and userinfo show
    // today's e-mail, names and groups. A name the directory lacks keeps the sign-in's (the assertion's); an e-mail it
    // lacks is gone (the directory releases an e-mail when it gives it to another user: two subjects never share one).
    private static final String GRANT_COLUMNS = """
            g.id, g.client_id, g.org_id, g.user_id, g.session_id, g.scope, g.auth_time,
            (g.claims - 'email') || jsonb_strip_nulls(jsonb_build_object('email', u.email, 'given_name', u.given_name,
                'family_name', u.family_name))
              || jsonb_build_object('directory_groups', coalesce((select jsonb_agg(l.display_name
                order by l.display_name) from login_group l where l.org_id = u.org_id and l.id = any(u.group_ids)),
                '[]'::jsonb)) as claims""";
    // a grant counts only while the user is active and the sign-in session has not been ended
    private static final String LIVE = """
            g.revoked_at is null and u.active
            and exists (select 1 from session s where s.id = g.session_id and s.revoked_at is null)""";
    private static final String USER_CAN_SIGN_IN = """
            select 1 from login_user u, session s where u.user_id = $1 and u.active and s.id = $2
            and s.revoked_at is null""";
    private static final String INSERT_GRANT = """
            insert into oidc_grant (id, client_id, org_id, user_id, session_id, scope, claims, auth_time)
            values ($1, $2, $3, $4, $5, $6, $7, $8)""";
    private static final String LINK_CODE = "update oidc_code set grant_id = $2 where code_hash = $1";
    private static final String REVOKE_GRANT = """
            update oidc_grant set revoked_at = now() where id = $1 and revoked_at is null""";
    private static final String INSERT_TOKEN = """
            insert into oidc_token (token_hash, grant_id, kind, expires_at) values ($1, $2, $3, $4)""";
    private static final String USE_REFRESH = """
            update oidc_token set used_at = now() where token_hash = $1 and kind = 'refresh' and used_at is null
            and expires_at > now() returning grant_id""";
    private static final String REVOKE_GRANT_OF_REFRESH = """
            update oidc_grant set revoked_at = now() where revoked_at is null
            and id = (select grant_id from oidc_token where token_hash = $1 and kind = 'refresh')""";
    private static final String GRANT = "select " + GRANT_COLUMNS
            + " from oidc_grant g join login_user u on u.user_id = g.user_id where g.id = $1 and " + LIVE;
    private static final String BY_ACCESS_TOKEN = "select " + GRANT_COLUMNS + """
             from oidc_token t join oidc_grant g on g.id = t.grant_id join login_user u on u.user_id = g.user_id
            where t.token_hash = $1 and t.kind = 'access' and t.expires_at > now() and\s""" + LIVE;
    private static final String FORGET_EXPIRED = "delete from oidc_token where expires_at < now()";

    private final Pool pool;

    public TokenRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** Whether the user is active and the session unrevoked: a code or refresh is worth nothing otherwise. */
    public Uni<Boolean> canSignIn(UUID userId, UUID sessionId) {
        return pool.preparedQuery(USER_CAN_SIGN_IN).execute(Tuple.of(userId, sessionId)).map(rows -> rows.size() > 0);
    }

    public Uni<Void> insertGrant(SqlConnection transaction, Grant grant, byte[] codeHash) {
        return transaction.preparedQuery(INSERT_GRANT).execute(Tuple.tuple(List.of(grant.id(), grant.clientId(),
                grant.orgId(), grant.userId(), grant.sessionId(), grant.scope(), grant.claims(),
                grant.authTime().atOffset(ZoneOffset.UTC))))
                .chain(() -> transaction.preparedQuery(LINK_CODE).execute(Tuple.of(Buffer.buffer(codeHash),
                        grant.id())))
                .replaceWithVoid();
    }

    public Uni<Void> revokeGrant(UUID grantId) {
        return pool.preparedQuery(REVOKE_GRANT).execute(Tuple.of(grantId)).replaceWithVoid();
    }

    public Uni<Void> insertToken(SqlConnection transaction, byte[] hash, UUID grantId, String kind,
            Instant expiresAt) {
        return transaction.preparedQuery(INSERT_TOKEN).execute(Tuple.of(Buffer.buffer(hash), grantId, kind,
                expiresAt.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /** Uses a refresh token up; the grant it belonged to, if it was live. */
    public Uni<Optional<Grant>> useRefreshToken(SqlConnection transaction, byte[] hash) {
        return transaction.preparedQuery(USE_REFRESH).execute(Tuple.of(Buffer.buffer(hash))).chain(rows -> rows
                .size() == 0 ? Uni.createFrom().item(Optional.<Grant>empty())
                        : transaction.preparedQuery(GRANT).execute(Tuple.of(rows.iterator().next().getUUID(
                                "grant_id"))).map(TokenRepository::first));
    }

    /** Ends the grant a refresh token was issued on (a token presented again, or by another client). */
    public Uni<Void> revokeGrantOf(SqlConnection transaction, byte[] refreshHash) {
        return transaction.preparedQuery(REVOKE_GRANT_OF_REFRESH).execute(Tuple.of(Buffer.buffer(refreshHash)))
                .replaceWithVoid();
    }

    /** The live grant an unexpired access token belongs to. */
    public Uni<Optional<Grant>> byAccessToken(byte[] hash) {
        return pool.preparedQuery(BY_ACCESS_TOKEN).execute(Tuple.of(Buffer.buffer(hash)))
                .map(TokenRepository::first);
    }

    @Scheduled(identity = "oidc-token-cleanup", every = "10m", delayed = "1m")
    Uni<Void> forgetExpired() {
        return pool.preparedQuery(FORGET_EXPIRED).execute().replaceWithVoid();
    }

    private static Optional<Grant> first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new Grant(row.getUUID("id"), row.getString("client_id"), row.getUUID("org_id"),
                row.getUUID("user_id"), row.getUUID("session_id"), row.getString("scope"),
                (JsonObject) row.getValue("claims"), row.getOffsetDateTime("auth_time").toInstant()));
    }
}
