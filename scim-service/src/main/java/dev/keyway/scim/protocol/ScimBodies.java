package dev.keyway.scim.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Request bodies are read here, whatever Content-Type the client sent, so anything that is not one well-formed JSON
 * document is invalidSyntax and a value the store cannot hold faithfully is invalidValue, before any resource is
 * looked up. RFC 7644 §3.8 bodies are UTF-8: bytes that are not (whatever charset the client declared) are refused,
 * never replaced.
 */
public final class ScimBodies {

    /** Deeper documents are refused: SCIM resources nest four levels at most, and the walkers here recurse. */
    public static final int MAX_NESTING = 32;

    /** Longer numbers are refused: no SCIM attribute needs more digits, and they cost the parser. */
    public static final int MAX_NUMBER_LENGTH = 100;

    private static final ObjectReader READER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING).maxNumberLength(MAX_NUMBER_LENGTH).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build().reader();

    private ScimBodies() {
    }

    public static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ScimException.invalidSyntax("The request body is empty.");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ScimException.invalidSyntax("The request body is not valid UTF-8.");
        }
        if (text.isBlank()) {
            throw ScimException.invalidSyntax("The request body is empty.");
        }
        JsonNode document;
        try {
            document = READER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw ScimException.invalidSyntax("The request body nests deeper than " + MAX_NESTING
                    + " levels or has a number longer than " + MAX_NUMBER_LENGTH + " digits.");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ScimException.invalidSyntax("The request body is not valid JSON" + (at == null ? "."
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")."));
        }
        requireStorable(document);
        return document;
    }

    /**
     * Every name and string is text PostgreSQL stores as sent (no NUL, no lone UTF-16 surrogate, which would be
     * stored as '?'), and every number is finite; checked on the whole document, ignored attributes included.
     */
    private static void requireStorable(JsonNode document) {
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(document);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isTextual()) {
                requireStorable(node.textValue());
            } else if (node.isNumber() && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
                throw ScimException.invalidValue("A number in the request body is out of range.");
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

    /** Refuses text with a NUL character or an unpaired UTF-16 surrogate (invalidValue). */
    public static void requireStorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw ScimException.invalidValue("Text in the request contains a NUL character.");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ScimException.invalidValue("Text in the request contains an unpaired UTF-16 surrogate.");
            }
        }
    }
}
