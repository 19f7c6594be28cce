package dev.keyway.sso.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import dev.keyway.common.auth.KeywayClaims;
import dev.keyway.runtime.problem.Problem;
import dev.keyway.sso.config.SsoConfig;
import io.smallrye.mutiny.Uni;

/** What the SaaS's apps ask: is this session valid, and who is it? */
@Path("/session")
@Tag(name = "Sessions")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class SessionResource {

    private static final Logger LOG = Logger.getLogger(SessionResource.class);

    private final Sessions sessions;
    private final SsoConfig config;

    public SessionResource(Sessions sessions, SsoConfig config) {
        this.sessions = sessions;
        this.config = config;
    }

    @GET
    @Operation(summary = "The claims of a valid, unrevoked session (session cookie or Bearer), else 401")
    public Uni<Response> current(@CookieParam(Sessions.COOKIE) String cookie,
            @HeaderParam("Authorization") String authorization) {
        String token = token(cookie, authorization);
        if (token == null) {
            return Uni.createFrom().item(unauthorized("no-session"));
        }
        return sessions.verify(token)
                .map(jwt -> {
                    Map<String, Object> claims = new LinkedHashMap<>();
                    for (String name : new String[]{ "sub", KeywayClaims.SESSION_ID, KeywayClaims.ORG_ID,
                            KeywayClaims.ORG_SLUG, KeywayClaims.REGION, KeywayClaims.EMAIL, KeywayClaims.GIVEN_NAME,
                            KeywayClaims.FAMILY_NAME, KeywayClaims.DIRECTORY_GROUPS, "exp" }) {
                        Object value = jwt.getClaim(name);
                        claims.put(name, value instanceof JsonValue json ? unwrap(json) : value);
                    }
                    return Response.ok(claims).build();
                })
                .onFailure(Sessions.Refused.class).recoverWithItem(refused -> {
                    LOG.debugf("Session refused: %s", refused.getMessage());
                    return unauthorized(refused.getMessage());
                });
    }

    @POST
    @Path("logout")
    @Operation(summary = "End this session (local sign-out; JumpCloud does not support SAML logout)")
    public Uni<Response> logout(@CookieParam(Sessions.COOKIE) String cookie,
            @HeaderParam("Authorization") String authorization) {
        String token = token(cookie, authorization);
        NewCookie cleared = new NewCookie.Builder(Sessions.COOKIE).value("").path("/").maxAge(0).httpOnly(true)
                .secure(config.cookieSecure()).sameSite(NewCookie.SameSite.LAX).build();
        if (token == null) {
            return Uni.createFrom().item(Response.noContent().cookie(cleared).build());
        }
        return sessions.verify(token)
                .chain(jwt -> sessions.revoke(UUID.fromString(jwt.getClaim(KeywayClaims.SESSION_ID))))
                .onFailure(Sessions.Refused.class).recoverWithNull()
                .replaceWith(Response.noContent().cookie(cleared).build());
    }

    private static String token(String cookie, String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return cookie == null || cookie.isBlank() ? null : cookie;
    }

    private static Object unwrap(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> ((JsonNumber) value).longValue();
            case ARRAY -> value.asJsonArray().stream().map(SessionResource::unwrap).toList();
            case TRUE -> true;
            case FALSE -> false;
            default -> null;
        };
    }

    private static Response unauthorized(String reason) {
        return Response.fromResponse(Problem.response(Response.Status.UNAUTHORIZED,
                "No valid session (" + reason + ")."))
                .header("WWW-Authenticate", "Bearer").build();
    }
}
