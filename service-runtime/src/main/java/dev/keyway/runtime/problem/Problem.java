package dev.keyway.runtime.problem;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document, the error body of every admin API; {@code reason}, an extension member, names the
 * cause where a caller tells causes apart (e.g. a refused JumpCloud API key vs. a missing Organization ID).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String reason) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(Response.StatusType status, String detail) {
        return of(status, detail, null);
    }

    public static Problem of(Response.StatusType status, String detail, String reason) {
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail, reason);
    }

    public static Response response(Response.StatusType status, String detail) {
        return response(status, detail, null);
    }

    public static Response response(Response.StatusType status, String detail, String reason) {
        return Response.status(status).type(MEDIA_TYPE).entity(of(status, detail, reason)).build();
    }
}
