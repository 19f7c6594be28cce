package dev.keyway.common.problem;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A JSON body bound to a request type (the admin APIs' records) is checked before Jackson binds it: UTF-8 decoded
 * strictly (bytes that are not UTF-8 are refused, never replaced), one document, nested at most
 * {@value #MAX_NESTING} deep, numbers of at most {@value #MAX_NUMBER_LENGTH} digits, and no text PostgreSQL cannot
 * store as sent (NUL, an unpaired UTF-16 surrogate). A refusal is a 400 in the service's error format. Bodies a
 * resource reads raw ({@code byte[]}, {@code String}; the SCIM API) are left to it. Server side only: what the REST
 * clients read (JumpCloud) is not a request.
 */
@Provider
@ConstrainedTo(RuntimeType.SERVER)
public class JsonBodyCheck implements ReaderInterceptor {

    static final int MAX_NESTING = 32;
    static final int MAX_NUMBER_LENGTH = 100;

    private static final ObjectReader READER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING).maxNumberLength(MAX_NUMBER_LENGTH).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build().reader();

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!isJson(context.getMediaType()) || isRaw(context.getType())) {
            return context.proceed();
        }
        byte[] body = context.getInputStream().readAllBytes();
        if (body.length > 0) {
            check(body);
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    static void check(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("The request body is not valid UTF-8.");
        }
        if (text.isBlank()) {
            return;
        }
        JsonNode document;
        try {
            document = READER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("The request body nests deeper than " + MAX_NESTING
                    + " levels or has a number longer than " + MAX_NUMBER_LENGTH + " digits.");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("The request body is not valid JSON.");
        }
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(document);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isTextual()) {
                requireStorable(node.textValue());
            } else if (node.isObject()) {
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    requireStorable(field.getKey());
                    pending.push(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(pending::push);
            }
        }
    }

    private static void requireStorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw ApiException.badRequest("Text in the request body contains a NUL character.");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.badRequest("Text in the request body contains an unpaired UTF-16 surrogate.");
            }
        }
    }

    private static boolean isJson(MediaType type) {
        return type != null && (type.getSubtype().equalsIgnoreCase("json") || type.getSubtype().endsWith("+json"));
    }

    private static boolean isRaw(Class<?> type) {
        return type == byte[].class || type == String.class || InputStream.class.isAssignableFrom(type);
    }
}
