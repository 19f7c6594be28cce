package dev.keyway.sso.connection;

import java.util.Arrays;
import java.util.Locale;

import dev.keyway.runtime.problem.ApiException;

/**
 * What an SP key is for: signing our AuthnRequests, or decrypting assertions the IdP encrypted to us. One key never
 * does both, so a key that decrypts is never also a signing oracle (and each rotates on its own). Keys made before
 * uses existed do both ({@link #LEGACY_BOTH}) until they are retired.
 */
public enum SpKeyUse {

    SIGNING("signing"),
    ENCRYPTION("encryption"),
    /** Keys generated before keys had a use; never generated any more. */
    LEGACY_BOTH("both");

    private final String value;

    SpKeyUse(String value) {
        this.value = value;
    }

    /** As stored and shown: signing, encryption, both. */
    public String value() {
        return value;
    }

    public boolean signs() {
        return this != ENCRYPTION;
    }

    public boolean encrypts() {
        return this != SIGNING;
    }

    static SpKeyUse stored(String value) {
        return Arrays.stream(values()).filter(use -> use.value.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown SP key use '" + value + "'"));
    }

    /** What an admin may ask for; {@code null} means signing, the one use every IdP can make of our certificate. */
    static SpKeyUse requested(String value) {
        if (value == null || value.isBlank()) {
            return SIGNING;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "signing" -> SIGNING;
            case "encryption" -> ENCRYPTION;
            default -> throw ApiException.badRequest("use: 'signing' or 'encryption'.");
        };
    }
}
