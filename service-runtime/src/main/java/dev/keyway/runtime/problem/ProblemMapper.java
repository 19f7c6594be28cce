package dev.keyway.runtime.problem;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * How a service turns failures into HTTP answers unless it maps them itself: problem+json, 4xx logged at DEBUG,
 * 5xx with its cause. The narrower signatures only take precedence over Quarkus' built-in mappers; all lead to
 * {@link #render}. A service with another protocol (SCIM) overrides these with mappers of higher priority.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return render(e);
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return render(e);
    }

    @ServerExceptionMapper
    public Response badJsonShape(MismatchedInputException e) {
        return render(e);
    }

    /** Bean Validation of a request body; ahead of Quarkus' own mapper, whose body is not problem+json. */
    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        return render(e);
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return render(e);
    }

    @ServerExceptionMapper
    public Response badToken(AuthenticationFailedException e) {
        return render(e);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return render(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return render(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return render(e);
    }

    private static Response render(Throwable e) {
        Failure failure = Failure.of(e);
        if (failure.isServerError()) {
            LOG.error("Request failed", e);
        } else {
            LOG.debugf("Request refused (%d): %s", failure.status().getStatusCode(), failure.detail());
        }
        Response response = Problem.response(failure.status(), failure.detail(), failure.reason());
        return failure.status().getStatusCode() == 401
                ? Response.fromResponse(response).header("WWW-Authenticate", "Bearer").build()
                : response;
    }
}
