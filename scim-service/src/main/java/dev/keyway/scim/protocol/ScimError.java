package dev.keyway.scim.protocol;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;

import dev.keyway.runtime.problem.Failure;

/** The SCIM error body (RFC 7644 §3.12). {@code status} is a string there, by the RFC's own example. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScimError(List<String> schemas, String status, String scimType, String detail) {

    public static final String SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

    public static ScimError of(int status, String scimType, String detail) {
        return new ScimError(List.of(SCHEMA), Integer.toString(status), scimType, detail);
    }

    /** The SCIM error for any failure, with the {@code scimType} RFC 7644 §3.12 gives it. */
    public static ScimError of(Throwable failure) {
        Failure described = Failure.of(failure);
        int status = described.status().getStatusCode();
        return of(status, scimType(failure, status), described.detail());
    }

    private static String scimType(Throwable e, int status) {
        if (e instanceof ScimException scim) {
            return scim.scimType();
        }
        if (e instanceof JsonProcessingException
                || e instanceof WebApplicationException web && web.getCause() instanceof JsonProcessingException) {
            return "invalidSyntax";
        }
        return switch (status) {
            case 409 -> "uniqueness";
            case 400 -> "invalidValue";
            default -> null;
        };
    }

    public int statusCode() {
        return Integer.parseInt(status);
    }
}
