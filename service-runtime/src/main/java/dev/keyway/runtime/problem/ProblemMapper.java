package dev.keyway.runtime.problem;

import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.keyway.runtime.log.LogSafe;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The one place a service turns failures into HTTP answers: status and detail by {@link Failure#of}, the body in
 * problem+json, or in the format of the service's own protocol on its paths ({@link ProtocolErrors}); 4xx logged at
 * DEBUG, 5xx with its cause; a 503 (overload) without its stack, and says when to try again.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    private final List<ProtocolErrors> protocols;

    public ProblemMapper(Instance<ProtocolErrors> protocols) {
        this.protocols = protocols.stream().toList();
    }

    /**
     * Every failure. {@code Throwable} alone would do but for Quarkus' built-in mappers of narrower types (JSON, Bean
     * Validation, security, {@code WebApplicationException}), whose bodies are not problem+json: naming those types
     * makes this mapper the more specific one for them.
     */
    @ServerExceptionMapper({ ApiException.class, JsonProcessingException.class, MismatchedInputException.class,
            ConstraintViolationException.class, UnauthorizedException.class, AuthenticationFailedException.class,
            ForbiddenException.class, WebApplicationException.class, Throwable.class })
    public Response map(Throwable e, UriInfo uri) {
        Failure failure = Failure.of(e);
        if (failure.status().getStatusCode() == 503) {
            LOG.warnf("Request refused (503): %s: %s", LogSafe.value(uri.getPath()), failure.detail());
        } else if (failure.isServerError()) {
            LOG.errorf(e, "Request failed: %s", LogSafe.value(uri.getPath()));
        } else {
            LOG.debugf("Request refused (%d): %s", failure.status().getStatusCode(), LogSafe.value(failure.detail()));
        }
        Response.ResponseBuilder response = protocols.stream().filter(protocol -> protocol.covers(uri.getPath()))
                .findFirst().map(protocol -> protocol.answer(e, failure))
                .orElseGet(() -> Response.fromResponse(
                        Problem.response(failure.status(), failure.detail(), failure.reason())));
        if (failure.status().getStatusCode() == 401) {
            response.header("WWW-Authenticate", "Bearer");
        }
        if (failure.status().getStatusCode() == 503) {
            // a 503 here is momentary (a busy pool, a cancelled query, a replica shutting down): retry, not at once
            response.header("Retry-After", "1");
        }
        return response.build();
    }
}
