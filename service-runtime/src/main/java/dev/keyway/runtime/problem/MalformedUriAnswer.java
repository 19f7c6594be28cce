package dev.keyway.runtime.problem;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The APIs (SCIM under {@code /scim/}, admin under {@code /admin/}) refuse a request URI whose percent-encoding is
 * broken, is not UTF-8, or encodes a NUL character, with a 400 in their format: otherwise the decoder would replace
 * such bytes silently and a NUL would reach PostgreSQL, which cannot store or compare it.
 */
@ApplicationScoped
public class MalformedUriAnswer {

    void install(@Observes Router router) {
        router.route("/scim/*").order(RouteConstants.ROUTE_ORDER_HEADERS)
                .handler(this::refuseMalformed);
        router.route("/admin/*").order(RouteConstants.ROUTE_ORDER_HEADERS)
                .handler(this::refuseMalformed);
    }

    private void refuseMalformed(RoutingContext context) {
        String query = context.request().query();
        if (isClean(context.request().path()) && (query == null || isClean(query))) {
            context.next();
        } else {
            ProtocolAnswer.send(context, 400, "Bad Request", "The request URI is not valid percent-encoded UTF-8 "
                    + "or contains a NUL character.", "invalidValue");
        }
    }

    /** Whether the raw (still encoded) text decodes to UTF-8 without NUL. */
    static boolean isClean(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return false;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return false;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] decoded = bytes.toByteArray();
        for (byte b : decoded) {
            if (b == 0) {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(decoded));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
