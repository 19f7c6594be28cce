package dev.keyway.runtime.problem;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import dev.keyway.runtime.json.StrictJson;

/**
 * A JSON body bound to a request type (the admin APIs' records) is checked by {@link StrictJson} before Jackson
 * binds it; a refusal is a 400 in problem+json. An empty body is left to the binding. Bodies a resource reads raw
 * ({@code byte[]}, {@code String}; the SCIM API) are left to it. Server side only: what the REST clients read
 * (JumpCloud) is not a request.
 */
@Provider
@ConstrainedTo(RuntimeType.SERVER)
public class JsonBodyCheck implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!isJson(context.getMediaType()) || isRaw(context.getType())) {
            return context.proceed();
        }
        byte[] body = context.getInputStream().readAllBytes();
        check(body);
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    static void check(byte[] body) {
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            return;
        }
        try {
            StrictJson.parse(body);
        } catch (StrictJson.Refusal refusal) {
            throw ApiException.badRequest(refusal.getMessage());
        }
    }

    private static boolean isJson(MediaType type) {
        return type != null && (type.getSubtype().equalsIgnoreCase("json") || type.getSubtype().endsWith("+json"));
    }

    private static boolean isRaw(Class<?> type) {
        return type == byte[].class || type == String.class || InputStream.class.isAssignableFrom(type);
    }
}
