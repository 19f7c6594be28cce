package dev.keyway.scim.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.deployment.Deployment;
import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.scim.protocol.ScimException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Authenticates every {@code /scim/v2} request by its bearer token, which names the organization. Accepts the token
 * alone or {@code <apiKey>:<token>} (the form some vendors document). Only hashes are stored; the found hash and
 * API key are compared again in constant time. A token of another region is sent to its regional base URL.
 */
public class ScimAuthentication {

    private static final Logger LOG = Logger.getLogger(ScimAuthentication.class);

    private static final String FIND = """
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
    private final ScimCaller caller;
    private final Deployment deployment;
    /** When this replica last stamped each token as used; spares a statement per request. */
    private final java.util.Map<java.util.UUID, Long> lastTouched = new java.util.concurrent.ConcurrentHashMap<>();

    public ScimAuthentication(Pool pool, ScimCaller caller, Deployment deployment) {
        this.pool = pool;
        this.caller = caller;
        this.deployment = deployment;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(UriInfo uri, HttpHeaders headers) {
        if (!uri.getPath().startsWith("/scim/")) {
            return Uni.createFrom().nullItem();
        }
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("A bearer token is required.");
        }
        Credential credential = Credential.parse(authorization.substring(7).trim());
        Optional<Region> issuedIn = TokenCodec.regionOf(credential.token());
        if (issuedIn.isPresent() && issuedIn.get() != deployment.region()) {
            throw misdirected(issuedIn.get());
        }
        byte[] hash = TokenCodec.hash(credential.token());
        return pool.preparedQuery(FIND).execute(Tuple.of(Buffer.buffer(hash))).map(rows -> {
            Row row = rows.size() == 1 ? rows.iterator().next() : null;
            if (row == null || !MessageDigest.isEqual(hash, row.getBuffer("token_hash").getBytes())
                    || !apiKeyMatches(credential, row.getString("api_key"))) {
                throw unauthorized("The token is not valid: unknown, revoked, or not this organization's.");
            }
            Region home = Region.fromCode(row.getString("region"));
            if (home != deployment.region()) {
                throw misdirected(home);
            }
            caller.authenticated(new ScimCaller.Tenant(row.getUUID("org_id"), row.getString("slug"), home,
                    row.getBoolean("groups_enabled")));
            touch(row.getUUID("id"));
            return null;
        });
    }

    private void touch(java.util.UUID tokenId) {
        long now = System.currentTimeMillis();
        Long previous = lastTouched.put(tokenId, now);
        if (previous == null || now - previous > 60_000) {
            pool.preparedQuery(TOUCH).execute(Tuple.of(tokenId)).subscribe().with(done -> {
            }, failure -> LOG.debugf("last-used time not recorded: %s", failure.getMessage()));
        }
    }

    private static boolean apiKeyMatches(Credential credential, String apiKey) {
        return credential.apiKey() == null || apiKey != null && MessageDigest.isEqual(
                credential.apiKey().getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8));
    }

    private ScimException misdirected(Region home) {
        return new ScimException(KnownOrganizations.MISDIRECTED, null, "This organization is homed in region '"
                + home + "'" + deployment.urlOf(home).map(url -> "; its SCIM base URL is " + url + "/scim/v2")
                        .orElse("") + ".");
    }

    private static ScimException unauthorized(String detail) {
        return new ScimException(Response.Status.UNAUTHORIZED, null, detail);
    }

    /** The bearer value: a token, or an API key and a token joined by a colon. */
    record Credential(String apiKey, String token) {
        static Credential parse(String bearer) {
            int colon = bearer.indexOf(':');
            return colon < 0 ? new Credential(null, bearer)
                    : new Credential(bearer.substring(0, colon).trim(), bearer.substring(colon + 1).trim());
        }
    }
}
