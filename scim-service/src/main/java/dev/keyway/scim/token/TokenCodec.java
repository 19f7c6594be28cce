package dev.keyway.scim.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import dev.keyway.common.tenant.Region;

/**
 * The shape of SCIM credentials. A token reads {@code kws_<region>_<43 base64url chars>} (256 random bits): the
 * prefix lets secret scanners spot a leaked one, and the region lets any region point a misdirected client home.
 */
public final class TokenCodec {

    private static final String TOKEN_PREFIX = "kws_";
    private static final String API_KEY_PREFIX = "kwk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenCodec() {
    }

    public static String newToken(Region region) {
        return TOKEN_PREFIX + region.code() + "_" + random(32);
    }

    public static String newApiKey(Region region) {
        return API_KEY_PREFIX + region.code() + "_" + random(16);
    }

    /** The region a token or API key was issued in, if it has our shape. */
    public static Optional<Region> regionOf(String credential) {
        for (String prefix : new String[]{ TOKEN_PREFIX, API_KEY_PREFIX }) {
            if (credential.startsWith(prefix)) {
                int end = credential.indexOf('_', prefix.length());
                if (end > 0) {
                    try {
                        return Optional.of(Region.fromCode(credential.substring(prefix.length(), end)));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hint(String token) {
        return token.substring(token.length() - 4);
    }

    private static String random(int bytes) {
        byte[] secret = new byte[bytes];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
