package dev.keyway.common.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/** A failure the caller can act on; each service's error mapper turns it into its protocol's error body. */
public class ApiException extends RuntimeException {

    private final Response.StatusType status;

    public ApiException(Response.StatusType status, String detail) {
        super(detail);
        this.status = status;
    }

    public Response.StatusType status() {
        return status;
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
