package dev.keyway.scim.error;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.keyway.runtime.log.LogSafe;
import dev.keyway.runtime.problem.ApiException;
import dev.keyway.runtime.problem.Failure;
import dev.keyway.runtime.problem.Problem;
import dev.keyway.scim.protocol.ScimError;
import dev.keyway.scim.protocol.ScimMediaType;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The one place scim-service turns failures into HTTP answers: SCIM error JSON under {@code /scim/}, problem+json
 * for the admin API. Its priority puts it before the shared {@link dev.keyway.runtime.problem.ProblemMapper}; the
 * narrower signatures only take precedence over Quarkus' built-in mappers.
 */
public class ErrorMapper {

    /** Ahead of the shared problem+json mapper, which maps the same exception types at the default priority. */
    private static final int PRIORITY = Priorities.USER - 100;

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper(priority = PRIORITY)
    public Response api(ApiException e, UriInfo uri) {
        return render(e, uri);
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response badJson(JsonProcessingException e, UriInfo uri) {
        return render(e, uri);
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response badJsonShape(MismatchedInputException e, UriInfo uri) {
        return render(e, uri);
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        return render(e, uri);
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return render(e, uri);
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response badToken(AuthenticationFailedException e, UriInfo uri) {
        return render(e, uri);
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return render(e, uri);
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response web(WebApplicationException e, UriInfo uri) {
        return render(e, uri);
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response unexpected(Throwable e, UriInfo uri) {
        return render(e, uri);
    }

    private static Response render(Throwable e, UriInfo uri) {
        Failure failure = Failure.of(e);
        if (failure.isServerError()) {
            LOG.errorf(e, "Request failed: %s", LogSafe.value(uri.getPath()));
        } else {
            LOG.debugf("Request refused (%d): %s", failure.status().getStatusCode(), LogSafe.value(failure.detail()));
        }
        Response.ResponseBuilder response = uri.getPath().startsWith("/scim/")
                ? Response.status(failure.status()).type(ScimMediaType.SCIM_JSON).entity(ScimError.of(e))
                : Response.fromResponse(Problem.response(failure.status(), failure.detail()));
        if (failure.status().getStatusCode() == 401) {
            response.header("WWW-Authenticate", "Bearer");
        }
        return response.build();
    }
}
