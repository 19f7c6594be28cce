package dev.keyway.runtime.problem;

import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.keyway.runtime.database.PoolOverload;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.pgclient.PgException;

/**
 * What any failure means to the caller: a status and a sentence, never a class name or a stack trace. Each service
 * renders it in its protocol's format (problem+json, SCIM error) from one exception mapper. {@code reason} is an
 * optional machine-readable cause (see {@link ApiException#reason()}).
 */
public record Failure(Response.StatusType status, String detail, String reason) {

    public Failure(Response.StatusType status, String detail) {
        this(status, detail, null);
    }

    public static Failure of(Throwable failure) {
        if (failure instanceof ApiException api) {
            return new Failure(api.status(), api.getMessage(), api.reason());
        }
        if (failure instanceof ConstraintViolationException invalid) {
            return new Failure(Status.BAD_REQUEST, invalid.getConstraintViolations().stream()
                    .map(Failure::describe).sorted().collect(Collectors.joining(" ")));
        }
        if (failure instanceof MismatchedInputException mismatch) {
            String field = path(mismatch);
            return new Failure(Status.BAD_REQUEST, field.isEmpty() ? "The request body has the wrong shape."
                    : "'" + field + "' has the wrong type.");
        }
        if (failure instanceof StreamConstraintsException) {
            return new Failure(Status.BAD_REQUEST, "The request body nests too deeply or has a number too long.");
        }
        if (failure instanceof JsonProcessingException) {
            return new Failure(Status.BAD_REQUEST, "The request body is not valid JSON.");
        }
        if (PoolOverload.is(failure)) {
            return new Failure(Status.SERVICE_UNAVAILABLE, "The service is busy; try again shortly.");
        }
        Failure database = database(failure);
        if (database != null) {
            return database;
        }
        if (failure instanceof UnauthorizedException || failure instanceof AuthenticationFailedException) {
            return new Failure(Status.UNAUTHORIZED, "A valid bearer token is required.");
        }
        if (failure instanceof ForbiddenException) {
            return new Failure(Status.FORBIDDEN, "This token does not grant access to this resource.");
        }
        if (failure instanceof WebApplicationException web) {
            if (web.getCause() instanceof JsonProcessingException json) {
                return of(json);
            }
            return fromStatus(web.getResponse().getStatusInfo());
        }
        return new Failure(Status.INTERNAL_SERVER_ERROR, "An unexpected error occurred; it has been logged.");
    }

    /**
     * PostgreSQL's own refusals that a request's values cause: a data exception (SQLSTATE class 22: NUL in text,
     * a number out of range, an invalid date) is the caller's, so a 400, and the transaction it happened in rolled
     * back; a cancelled statement (57014, statement_timeout) is a 503. Anything else is ours.
     */
    private static Failure database(Throwable failure) {
        // the driver's exception may arrive wrapped (a composite failure, a rethrow)
        Throwable cause = failure;
        for (int depth = 0; cause != null && !(cause instanceof PgException) && depth < 5; depth++) {
            cause = cause.getCause();
        }
        if (!(cause instanceof PgException database)) {
            return null;
        }
        String state = database.getSqlState();
        if ("57014".equals(state)) {
            return new Failure(Status.SERVICE_UNAVAILABLE, "The query took too long and was cancelled; "
                    + "narrow it (e.g. a more selective filter) or try again later.");
        }
        if (state != null && state.startsWith("22")) {
            return new Failure(Status.BAD_REQUEST, "A value in the request cannot be stored or compared.");
        }
        return null;
    }

    public boolean isServerError() {
        return status.getFamily() == Response.Status.Family.SERVER_ERROR;
    }

    private static Failure fromStatus(Response.StatusType status) {
        String detail = switch (status.getStatusCode()) {
            case 404 -> "No such resource.";
            case 405 -> "This method is not allowed on this resource.";
            case 406 -> "This resource cannot answer in the requested media type.";
            case 413 -> "The request body is too large.";
            case 415 -> "This media type is not accepted here.";
            default -> status.getReasonPhrase();
        };
        return new Failure(status, detail);
    }

    /** "field: message." for a field of a body ({@code groups[0].jumpcloudGroupId}); the message alone for a body. */
    private static String describe(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            // the method and parameter nodes name Java code, not the request
            if (node.getKind() != ElementKind.PROPERTY && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                continue;
            }
            if (node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null && !node.getName().startsWith("<")) {
                field.append(field.isEmpty() ? "" : ".").append(node.getName());
            }
        }
        String message = violation.getMessage();
        return (field.isEmpty() ? message : field + ": " + message) + ".";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
