package dev.keyway.sso.oidc;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** OAuth errors in RFC 6749's JSON, with the headers the RFCs ask for. */
public class OAuthErrorMapper {

    private static final Logger LOG = Logger.getLogger(OAuthErrorMapper.class);

    @ServerExceptionMapper
    public Response oauth(OAuthError e) {
        LOG.debugf("OAuth error %s: %s", e.error(), e.getMessage());
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.getMessage());
        Response.ResponseBuilder answer = Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(body)
                .header("Cache-Control", "no-store").header("Pragma", "no-cache");
        if (e.error().equals(OAuthError.INVALID_TOKEN)) {
            answer.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        } else if (e.status() == 401) {
            answer.header("WWW-Authenticate", "Basic realm=\"keyway\"");
        }
        return answer.build();
    }
}
