package dev.keyway.sso.oidc.client;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The registered apps. */
@ApplicationScoped
public class ClientRepository {

    private static final String COLUMNS = """
            client_id, name, token_endpoint_auth_method, secret_hash, jwks, redirect_uris, post_logout_redirect_uris,
            backchannel_logout_uri, initiate_login_uri, allowed_organizations""";
    private static final String INSERT = "insert into oidc_client (" + COLUMNS + """
            ) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict do nothing""";
    private static final String UPDATE = """
            update oidc_client set name = $2, token_endpoint_auth_method = $3,
                secret_hash = coalesce($4, case when $3 = 'private_key_jwt' then null else secret_hash end),
                jwks = $5, redirect_uris = $6, post_logout_redirect_uris = $7, backchannel_logout_uri = $8,
                initiate_login_uri = $9, allowed_organizations = $10, updated_at = now()
            where client_id = $1""";
    private static final String FIND = "select " + COLUMNS + " from oidc_client where client_id = $1";
    private static final String LIST = "select " + COLUMNS + " from oidc_client order by client_id";
    private static final String DELETE = "delete from oidc_client where client_id = $1";
    private static final String USE_ASSERTION = """
            insert into oidc_client_assertion (client_id, jti, expires_at) values ($1, $2, $3) on conflict do nothing""";
    private static final String FORGET_EXPIRED_ASSERTIONS = "delete from oidc_client_assertion where expires_at < now()";

    private final Pool pool;

    public ClientRepository(Pool pool) {
        this.pool = pool;
    }

    /** False if a client of that id exists already. */
    public Uni<Boolean> insert(OidcClient client) {
        return pool.preparedQuery(INSERT).execute(tuple(client)).map(rows -> rows.rowCount() == 1);
    }

    /** Replaces everything but the secret, unless a new hash is given; false if there is no such client. */
    public Uni<Boolean> update(OidcClient client) {
        return pool.preparedQuery(UPDATE).execute(tuple(client)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<OidcClient>> find(String clientId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(clientId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(client(rows.iterator().next())));
    }

    public Uni<List<OidcClient>> list() {
        return pool.preparedQuery(LIST).execute()
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(ClientRepository::client).toList());
    }

    public Uni<Boolean> delete(String clientId) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(clientId)).map(rows -> rows.rowCount() == 1);
    }

    /** Records a client assertion's {@code jti} as used; false if the client presented it before. */
    public Uni<Boolean> firstAssertionUse(String clientId, String jti, Instant expiresAt) {
        return pool.preparedQuery(USE_ASSERTION).execute(Tuple.of(clientId, jti, expiresAt.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    @Scheduled(identity = "oidc-assertion-cleanup", every = "10m", delayed = "1m")
    Uni<Void> forgetExpiredAssertions() {
        return pool.preparedQuery(FORGET_EXPIRED_ASSERTIONS).execute().replaceWithVoid();
    }

    private static Tuple tuple(OidcClient client) {
        return Tuple.tuple(Arrays.asList(client.clientId(), client.name(), client.authMethod().wire(),
                client.secretHash() == null ? null : Buffer.buffer(client.secretHash()),
                client.jwks() == null ? null : new JsonObject(client.jwks()),
                client.redirectUris().toArray(String[]::new), client.postLogoutRedirectUris().toArray(String[]::new),
                client.backchannelLogoutUri(), client.initiateLoginUri(),
                client.allowedOrganizations() == null ? null : client.allowedOrganizations().toArray(String[]::new)));
    }

    private static OidcClient client(Row row) {
        var hash = row.getBuffer("secret_hash");
        Object jwks = row.getValue("jwks");
        String[] allowed = row.getArrayOfStrings("allowed_organizations");
        return new OidcClient(row.getString("client_id"), row.getString("name"),
                OidcClient.AuthMethod.fromWire(row.getString("token_endpoint_auth_method")),
                hash == null ? null : hash.getBytes(), jwks == null ? null : jwks.toString(),
                List.of(row.getArrayOfStrings("redirect_uris")),
                List.of(row.getArrayOfStrings("post_logout_redirect_uris")), row.getString("backchannel_logout_uri"),
                row.getString("initiate_login_uri"), allowed == null ? null : List.of(allowed));
    }
}
