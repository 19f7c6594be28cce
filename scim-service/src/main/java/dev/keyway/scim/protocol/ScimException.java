package dev.keyway.scim.protocol;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import dev.keyway.runtime.problem.ApiException;

/** A SCIM protocol error (RFC 7644 §3.12): a status, an optional {@code scimType} keyword and a detail. */
public class ScimException extends ApiException {

    private final String scimType;

    public ScimException(Response.StatusType status, String scimType, String detail) {
        super(status, detail);
        this.scimType = scimType;
    }

    public String scimType() {
        return scimType;
    }

    public static ScimException invalidFilter(String detail) {
        return new ScimException(Status.BAD_REQUEST, "invalidFilter", detail);
    }

    public static ScimException invalidSyntax(String detail) {
        return new ScimException(Status.BAD_REQUEST, "invalidSyntax", detail);
    }

    public static ScimException invalidValue(String detail) {
        return new ScimException(Status.BAD_REQUEST, "invalidValue", detail);
    }

    public static ScimException invalidPath(String detail) {
        return new ScimException(Status.BAD_REQUEST, "invalidPath", detail);
    }

    public static ScimException noTarget(String detail) {
        return new ScimException(Status.BAD_REQUEST, "noTarget", detail);
    }

    public static ScimException mutability(String detail) {
        return new ScimException(Status.BAD_REQUEST, "mutability", detail);
    }

    public static ScimException uniqueness(String detail) {
        return new ScimException(Status.CONFLICT, "uniqueness", detail);
    }

    public static ScimException tooMany(String detail) {
        return new ScimException(Status.BAD_REQUEST, "tooMany", detail);
    }

    public static ScimException notFound(String detail) {
        return new ScimException(Status.NOT_FOUND, null, detail);
    }
}
