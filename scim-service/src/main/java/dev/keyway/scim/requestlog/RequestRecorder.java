package dev.keyway.scim.requestlog;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;

import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.scim.protocol.ScimError;
import dev.keyway.scim.token.ScimCaller;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;

/**
 * Hands every answered SCIM request of an authenticated organization to the {@link RequestLog}: from what the
 * request already holds (its identity, path, status, error body), with no I/O. A request whose token was missing,
 * unknown or revoked names no organization and is not logged; nor is one refused before it reached a resource
 * (a malformed or oversized body, answered by the HTTP layer).
 */
public class RequestRecorder {

    /** Query parameters of SCIM (RFC 7644 §3.4.2) kept with their values; any other's value is left out. */
    private static final Set<String> SCIM_PARAMETERS = Set.of("filter", "startIndex", "count", "sortBy",
            "sortOrder", "attributes", "excludedAttributes", "cursor");
    private static final String USERS = "/scim/v2/Users/";
    private static final int MAX_PATH = 2000;
    private static final int MAX_TEXT = 1000;

    private final RequestLog log;

    public RequestRecorder(RequestLog log) {
        this.log = log;
    }

    @ServerResponseFilter
    public void record(ContainerResponseContext response, RoutingContext routing) {
        String path = routing.request().path();
        if (path == null || !path.startsWith("/scim/")
                || !(routing.user() instanceof QuarkusHttpUser user)) {
            return;
        }
        SecurityIdentity identity = user.getSecurityIdentity();
        ScimCaller.Tenant tenant = identity.getAttribute(ScimCaller.TENANT);
        if (tenant == null) {
            return;
        }
        String scimType = null;
        String detail = null;
        String userId = userIdIn(path);
        String userName = null;
        Object entity = response.getEntity();
        if (entity instanceof ScimError error) {
            scimType = error.scimType();
            detail = clip(error.detail(), MAX_TEXT);
        } else if (entity instanceof ObjectNode resource && path.startsWith("/scim/v2/Users")
                && resource.hasNonNull("userName")) {
            userId = resource.path("id").asText(userId);
            userName = clip(resource.path("userName").asText(), MAX_TEXT);
        }
        UUID tokenId = identity.getAttribute(ScimCaller.TOKEN_ID);
        log.record(new ScimRequest(tenant.orgId(), Instant.now(), routing.request().method().name(),
                withScimParameters(path, routing.request().query()), response.getStatus(), scimType, detail,
                userId, userName, tokenId));
    }

    /** {@code /scim/v2/Users/<id>[/…]} names a user; {@code .search} and the collection do not. */
    static String userIdIn(String path) {
        if (!path.startsWith(USERS) || path.length() == USERS.length()) {
            return null;
        }
        String rest = path.substring(USERS.length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.isEmpty() || id.startsWith(".") ? null : clip(id, 200);
    }

    /**
     * The path, and the query decoded with the values of SCIM's own parameters only: a client that put a secret
     * into some other parameter does not leave it in the log.
     */
    static String withScimParameters(String path, String query) {
        if (query == null || query.isEmpty()) {
            return clip(path, MAX_PATH);
        }
        StringJoiner kept = new StringJoiner("&", path + "?", "");
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (SCIM_PARAMETERS.contains(name)) {
                kept.add(name + "=" + (equals < 0 ? "" : decode(pair.substring(equals + 1))));
            } else {
                kept.add(clip(name, 64) + "=(left out)");
            }
        }
        return clip(kept.toString(), MAX_PATH);
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return raw;
        }
    }

    private static String clip(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }
}
