package dev.keyway.runtime.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A body over {@code quarkus.http.limits.max-body-size} is refused by the HTTP layer before any resource runs; this
 * answers that 413 in the protocol's own format (SCIM error under {@code /scim/}, problem+json elsewhere) instead
 * of a bare page.
 */
@ApplicationScoped
public class OversizeBodyAnswer {

    private final long limit;

    public OversizeBodyAnswer(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_HEADERS).handler(this::refuseDeclaredOversize);
        router.route().order(RouteConstants.ROUTE_ORDER_HEADERS).failureHandler(this::answerStreamedOversize);
    }

    private void refuseDeclaredOversize(RoutingContext context) {
        String declared = context.request().getHeader("Content-Length");
        if (declared != null && declared.chars().allMatch(Character::isDigit) && declared.length() < 19
                && Long.parseLong(declared) > limit) {
            answer(context);
        } else {
            context.next();
        }
    }

    private void answerStreamedOversize(RoutingContext context) {
        if (context.statusCode() == 413 && !context.response().headWritten()) {
            answer(context);
        } else {
            context.next();
        }
    }

    private void answer(RoutingContext context) {
        ProtocolAnswer.send(context, 413, "Request Entity Too Large",
                "The request body is larger than the limit of " + limit + " bytes.", null);
    }
}
