package dev.keyway.runtime.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/** A failure the caller can act on; each service's error mapper turns it into its protocol's error body. */
public class ApiException extends RuntimeException {

    private final Response.StatusType status;
    private final String reason;

    public ApiException(Response.StatusType status, String detail) {
        this(status, null, detail);
    }

    /** With a machine-readable {@code reason} (kebab-case), for callers that act differently on each cause. */
    public ApiException(Response.StatusType status, String reason, String detail) {
        super(detail);
        this.status = status;
        this.reason = reason;
    }

    public Response.StatusType status() {
        return status;
    }

    /** Null unless the failure has causes a caller tells apart. */
    public String reason() {
        return reason;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(Status.BAD_REQUEST, detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(Status.NOT_FOUND, detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(Status.CONFLICT, detail);
    }
}
