package dev.keyway.sso.saml;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import jakarta.ws.rs.core.NewCookie;

/**
 * Ties an SP-initiated sign-in to the browser that started it (against login CSRF: an attacker's own solicited
 * response delivered to a victim's browser). {@code /login} puts a random value in a cookie scoped to
 * {@code /saml/{slug}} and stores only its SHA-256 with the pending AuthnRequest; the ACS accepts a solicited response
 * only from a browser presenting that value. The cookie must be SameSite=None: the IdP's POST to the ACS is
 * cross-site, and a Lax cookie would not come with it.
 */
final class BrowserBinding {

    static final String COOKIE = "keyway_saml_browser";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BYTES = 32;
    private static final int ENCODED_LENGTH = 43;

    private BrowserBinding() {
    }

    /**
     * The browser's value: the one it already holds for this organization (so sign-ins started in two tabs both
     * succeed), or a new random one.
     */
    static String reuseOrCreate(String presented) {
        if (wellFormed(presented)) {
            return presented;
        }
        byte[] random = new byte[BYTES];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    static boolean wellFormed(String value) {
        return value != null && value.length() == ENCODED_LENGTH && value.chars()
                .allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
                        || c == '_');
    }

    /** What is stored with the pending request: never the value itself, so the table cannot be used to forge it. */
    static byte[] hash(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** Whether the presented cookie value is the one whose hash was stored (in constant time). */
    static boolean matches(byte[] storedHash, String presented) {
        return storedHash != null && wellFormed(presented) && MessageDigest.isEqual(storedHash, hash(presented));
    }

    static NewCookie cookie(String slug, String value, Duration lifetime, boolean secure) {
        return builder(slug, value, secure).maxAge((int) lifetime.toSeconds()).build();
    }

    /** Sent with the ACS's answer: the IdP has answered, the value has done its work. */
    static NewCookie cleared(String slug, boolean secure) {
        return builder(slug, "", secure).maxAge(0).build();
    }

    private static NewCookie.Builder builder(String slug, String value, boolean secure) {
        NewCookie.Builder builder = new NewCookie.Builder(COOKIE).value(value).path("/saml/" + slug).httpOnly(true)
                .secure(secure);
        // Browsers drop a SameSite=None cookie that is not Secure; a plain-HTTP local run leaves SameSite unset
        // (browsers then still send it with a top-level POST made within two minutes).
        return secure ? builder.sameSite(NewCookie.SameSite.NONE) : builder;
    }
}
