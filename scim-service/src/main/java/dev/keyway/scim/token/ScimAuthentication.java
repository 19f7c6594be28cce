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

/**
 * Authenticates every {@code /scim/v2} request by its bearer token, which names the organization. Accepts the token
 * alone or {@code <apiKey>:<token>} (the form some vendors document). Only hashes are stored; the found hash and
 * API key are compared again in constant time. A token of another region is sent to its regional base URL.
 */
public class ScimAuthentication {

    private static final Logger LOG = Logger.getLogger(ScimAuthentication.class);

    private final ScimTokenRepository tokens;
    private final ScimCaller caller;
    private final Deployment deployment;
    /** When this replica last stamped each token as used; spares a statement per request. */
    private final java.util.Map<java.util.UUID, Long> lastTouched = new java.util.concurrent.ConcurrentHashMap<>();

    public ScimAuthentication(ScimTokenRepository tokens, ScimCaller caller, Deployment deployment) {
        this.tokens = tokens;
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
        return tokens.presented(hash).map(found -> {
            ScimTokenRepository.Presented token = found.orElse(null);
            if (token == null || !MessageDigest.isEqual(hash, token.tokenHash())
                    || !apiKeyMatches(credential, token.apiKey())) {
                throw unauthorized("The token is not valid: unknown, revoked, or not this organization's.");
            }
            Region home = token.region();
            if (home != deployment.region()) {
                throw misdirected(home);
            }
            caller.authenticated(new ScimCaller.Tenant(token.orgId(), token.slug(), home, token.groupsEnabled()));
            touch(token.id());
            return null;
        });
    }

    private void touch(java.util.UUID tokenId) {
        long now = System.currentTimeMillis();
        Long previous = lastTouched.put(tokenId, now);
        if (previous == null || now - previous > 60_000) {
            tokens.touch(tokenId).subscribe().with(done -> {
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
