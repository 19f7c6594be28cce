package dev.keyway.runtime.problem;

import jakarta.ws.rs.core.Response;

/**
 * A service's own error format for the paths of its protocol (scim-service: SCIM error JSON under {@code /scim/}).
 * {@link ProblemMapper} answers in it there, and in problem+json everywhere else.
 */
public interface ProtocolErrors {

    /** Whether requests to this path are answered in this format. */
    boolean covers(String path);

    /** The answer to {@code failure} (as {@link Failure#of} describes it) in this format. */
    Response.ResponseBuilder answer(Throwable failure, Failure described);
}
