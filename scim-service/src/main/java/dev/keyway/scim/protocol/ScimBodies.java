package dev.keyway.scim.protocol;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keyway.runtime.json.StrictJson;

/**
 * Request bodies are read here, whatever Content-Type the client sent, so anything that is not one well-formed JSON
 * document is invalidSyntax and a value the store cannot hold faithfully is invalidValue, before any resource is
 * looked up. RFC 7644 §3.8 bodies are UTF-8: bytes that are not (whatever charset the client declared) are refused,
 * never replaced.
 */
public final class ScimBodies {

    private ScimBodies() {
    }

    public static JsonNode parse(byte[] body) {
        try {
            return StrictJson.parse(body);
        } catch (StrictJson.Refusal refusal) {
            throw refused(refusal);
        }
    }

    /** Refuses text with a NUL character or an unpaired UTF-16 surrogate (invalidValue). */
    public static void requireStorable(String text) {
        try {
            StrictJson.requireStorable(text);
        } catch (StrictJson.Refusal refusal) {
            throw refused(refusal);
        }
    }

    private static ScimException refused(StrictJson.Refusal refusal) {
        return switch (refusal.problem()) {
            case SYNTAX -> ScimException.invalidSyntax(refusal.getMessage());
            case VALUE -> ScimException.invalidValue(refusal.getMessage());
        };
    }
}
