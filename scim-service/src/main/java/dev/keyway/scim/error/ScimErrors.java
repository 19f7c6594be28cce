package dev.keyway.scim.error;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.keyway.runtime.problem.Failure;
import dev.keyway.runtime.problem.ProtocolErrors;
import dev.keyway.scim.protocol.ScimError;
import dev.keyway.scim.protocol.ScimMediaType;

/**
 * SCIM error JSON (RFC 7644 §3.12) for every failure under {@code /scim/}; the shared mapper answers the admin API in
 * problem+json.
 */
@ApplicationScoped
public class ScimErrors implements ProtocolErrors {

    @Override
    public boolean covers(String path) {
        return path.startsWith("/scim/");
    }

    @Override
    public Response.ResponseBuilder answer(Throwable failure, Failure described) {
        return Response.status(described.status()).type(ScimMediaType.SCIM_JSON).entity(ScimError.of(failure));
    }
}
