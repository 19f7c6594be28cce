package dev.keyway.runtime.json;

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
 * A request body read as one JSON document a store can hold as sent: UTF-8 decoded strictly (bytes that are not
 * UTF-8 are refused, never replaced), one document, nested at most {@value #MAX_NESTING} deep, numbers of at most
 * {@value #MAX_NUMBER_LENGTH} digits and finite, and no text PostgreSQL cannot store faithfully (NUL, an unpaired
 * UTF-16 surrogate, which would become '?'). Each service answers a {@link Refusal} in its own protocol's format.
 */
public final class StrictJson {

    /** Deeper documents are refused: no Keyway body nests more than a few levels, and walkers recurse. */
    public static final int MAX_NESTING = 32;

    /** Longer numbers are refused: no attribute needs more digits, and they cost the parser. */
    public static final int MAX_NUMBER_LENGTH = 100;

    private static final ObjectReader READER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING).maxNumberLength(MAX_NUMBER_LENGTH).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build().reader();

    private StrictJson() {
    }

    /** Why a body was refused: it is not one well-formed document, or it holds a value that cannot be stored. */
    public enum Problem {
        SYNTAX,
        VALUE
    }

    /** A refused body; the message is safe to show the client. */
    public static final class Refusal extends RuntimeException {

        private final Problem problem;

        Refusal(Problem problem, String message) {
            super(message, null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /** The body as one checked document; an empty or blank body is refused too. */
    public static JsonNode parse(byte[] body) {
        String text = body == null ? "" : decode(body);
        if (text.isBlank()) {
            throw new Refusal(Problem.SYNTAX, "The request body is empty.");
        }
        JsonNode document;
        try {
            document = READER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new Refusal(Problem.SYNTAX, "The request body nests deeper than " + MAX_NESTING
                    + " levels or has a number longer than " + MAX_NUMBER_LENGTH + " digits.");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new Refusal(Problem.SYNTAX, "The request body is not valid JSON" + (at == null ? "."
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")."));
        }
        requireStorable(document);
        return document;
    }

    /** Refuses text with a NUL character or an unpaired UTF-16 surrogate. */
    public static void requireStorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw new Refusal(Problem.VALUE, "Text in the request contains a NUL character.");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new Refusal(Problem.VALUE, "Text in the request contains an unpaired UTF-16 surrogate.");
            }
        }
    }

    private static String decode(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new Refusal(Problem.SYNTAX, "The request body is not valid UTF-8.");
        }
    }

    /** Every name and string in the document, ignored attributes included, is storable, and every number finite. */
    private static void requireStorable(JsonNode document) {
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(document);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isTextual()) {
                requireStorable(node.textValue());
            } else if (node.isNumber() && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
                throw new Refusal(Problem.VALUE, "A number in the request body is out of range.");
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
}
