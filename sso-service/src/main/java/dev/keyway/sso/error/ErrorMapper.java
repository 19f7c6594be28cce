package dev.keyway.sso.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.keyway.common.problem.ApiException;
import dev.keyway.common.problem.Failure;
import dev.keyway.common.problem.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The one place sso-service turns failures into HTTP answers: problem+json for the admin API. The narrower
 * signatures exist only to take precedence over Quarkus' built-in mappers; all lead to {@link #render}.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

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
        Response response = Problem.response(failure.status(), failure.detail());
        return failure.status().getStatusCode() == 401
                ? Response.fromResponse(response).header("WWW-Authenticate", "Bearer").build()
                : response;
    }
}
