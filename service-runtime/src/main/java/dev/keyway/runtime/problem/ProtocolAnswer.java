package dev.keyway.runtime.problem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * An error answered by the HTTP layer before any resource runs, in the protocol's own format: SCIM error JSON under
 * {@code /scim/}, problem+json elsewhere. The connection is closed, since the rest of the request is not read.
 */
final class ProtocolAnswer {

    private ProtocolAnswer() {
    }

    static void send(RoutingContext context, int status, String title, String detail, String scimType) {
        boolean scim = context.request().path().startsWith("/scim/");
        JsonObject body = scim
                ? new JsonObject().put("schemas", new JsonArray().add("urn:ietf:params:scim:api:messages:2.0:Error"))
                        .put("status", Integer.toString(status)).put("detail", detail)
                : new JsonObject().put("type", "about:blank").put("title", title).put("status", status)
                        .put("detail", detail);
        if (scim && scimType != null) {
            body.put("scimType", scimType);
        }
        context.response().setStatusCode(status)
                .putHeader("Content-Type", scim ? "application/scim+json" : Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(body.encode());
    }
}
