package dev.keyway.sso.oidc.authorization;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Authorization requests waiting for their SAML sign-in, and the codes they end in. */
@ApplicationScoped
public class AuthorizationRepository {

    /** An authorization request waiting for the browser to come back from JumpCloud. */
    public record Pending(String id, String clientId, UUID orgId, String redirectUri, String scope, String state,
            String nonce, String codeChallenge, byte[] browserHash, Instant createdAt) {
    }

    /** A code as issued: who it is for and what it is bound to. */
    public record Code(String clientId, UUID orgId, UUID userId, UUID sessionId, String redirectUri, String scope,
            String nonce, String codeChallenge, JsonObject claims, Instant authTime, Instant expiresAt,
            boolean firstUse, UUID grantId) {
    }

    // saved only while the organization has fewer live requests than the cap (anonymous callers cannot fill the table)
    private static final String SAVE = """
            insert into oidc_authorization (id, client_id, org_id, redirect_uri, scope, state, nonce, code_challenge,
                browser_hash, expires_at)
            select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
            where (select count(*) from (select 1 from oidc_authorization
                                         where org_id = $3 and expires_at > now() limit $11) live) < $11""";
    private static final String TAKE = """
            delete from oidc_authorization where id = $1 and expires_at > now()
            returning id, client_id, org_id, redirect_uri, scope, state, nonce, code_challenge, browser_hash,
                created_at""";
    private static final String SAVE_CODE = """
            insert into oidc_code (code_hash, client_id, org_id, user_id, session_id, redirect_uri, scope, nonce,
                code_challenge, claims, auth_time, expires_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""";
    private static final String CODE_COLUMNS = """
            client_id, org_id, user_id, session_id, redirect_uri, scope, nonce, code_challenge, claims, auth_time,
            expires_at, grant_id""";
    // the first use marks it; a later one finds it used (and the caller revokes what the first use obtained)
    // only the client it was issued to spends a code: one leaked to another client cannot be used up by it
    private static final String USE_CODE = "update oidc_code set used_at = now() where code_hash = $1 and client_id = $2"
            + " and used_at is null returning " + CODE_COLUMNS;
    private static final String USED_CODE = "select " + CODE_COLUMNS + " from oidc_code where code_hash = $1";
    private static final String FORGET_EXPIRED = """
            with a as (delete from oidc_authorization where expires_at < now())
            delete from oidc_code where expires_at < now() - interval '1 day'""";

    private final Pool pool;

    public AuthorizationRepository(Pool pool) {
        this.pool = pool;
    }

    /** False (nothing saved) when the organization already has {@code maxPending} live requests. */
    public Uni<Boolean> save(Pending pending, Instant expiresAt, int maxPending) {
        return pool.preparedQuery(SAVE).execute(Tuple.tuple(Arrays.asList(pending.id(), pending.clientId(),
                pending.orgId(), pending.redirectUri(), pending.scope(), pending.state(), pending.nonce(),
                pending.codeChallenge(), Buffer.buffer(pending.browserHash()), utc(expiresAt), maxPending)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The live request of that id, used up; empty if it expired or was used already. */
    public Uni<Optional<Pending>> take(String id) {
        return pool.preparedQuery(TAKE).execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            return Optional.of(new Pending(row.getString("id"), row.getString("client_id"), row.getUUID("org_id"),
                    row.getString("redirect_uri"), row.getString("scope"), row.getString("state"),
                    row.getString("nonce"), row.getString("code_challenge"), row.getBuffer("browser_hash").getBytes(),
                    row.getOffsetDateTime("created_at").toInstant()));
        });
    }

    public Uni<Void> saveCode(byte[] codeHash, Code code) {
        return pool.preparedQuery(SAVE_CODE).execute(Tuple.tuple(Arrays.asList(Buffer.buffer(codeHash),
                code.clientId(), code.orgId(), code.userId(), code.sessionId(), code.redirectUri(), code.scope(),
                code.nonce(), code.codeChallenge(), code.claims(), utc(code.authTime()), utc(code.expiresAt()))))
                .replaceWithVoid();
    }

    /**
     * The code of that hash, marked used if it was issued to this client; {@link Code#firstUse()} false when it had
     * been used before, or was issued to another client.
     */
    public Uni<Optional<Code>> useCode(byte[] codeHash, String clientId) {
        Tuple hash = Tuple.of(Buffer.buffer(codeHash));
        return pool.preparedQuery(USE_CODE).execute(Tuple.of(Buffer.buffer(codeHash), clientId)).chain(used -> {
            if (used.size() > 0) {
                return Uni.createFrom().item(Optional.of(code(used.iterator().next(), true)));
            }
            return pool.preparedQuery(USED_CODE).execute(hash).map(rows -> rows.size() == 0 ? Optional.empty()
                    : Optional.of(code(rows.iterator().next(), false)));
        });
    }

    @Scheduled(identity = "oidc-authorization-cleanup", every = "10m", delayed = "1m")
    Uni<Void> forgetExpired() {
        return pool.preparedQuery(FORGET_EXPIRED).execute().replaceWithVoid();
    }

    private static Code code(Row row, boolean firstUse) {
        return new Code(row.getString("client_id"), row.getUUID("org_id"), row.getUUID("user_id"),
                row.getUUID("session_id"), row.getString("redirect_uri"), row.getString("scope"),
                row.getString("nonce"), row.getString("code_challenge"), (JsonObject) row.getValue("claims"),
                row.getOffsetDateTime("auth_time").toInstant(), row.getOffsetDateTime("expires_at").toInstant(),
                firstUse, row.getUUID("grant_id"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
