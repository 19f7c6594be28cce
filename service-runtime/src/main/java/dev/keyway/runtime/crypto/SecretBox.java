package dev.keyway.runtime.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * AES-256-GCM for secrets at rest. A sealed value reads {@code v1:<key id>:<base64 nonce+ciphertext+tag>} and is
 * bound to a context string (e.g. the owning row), so a ciphertext copied onto another tenant's row does not open.
 * The same keys also yield, one per purpose, HMAC keys for values the service signs and checks itself
 * ({@link #macKeys(String)}).
 */
@ApplicationScoped
public class SecretBox {

    private static final String FORMAT = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, SecretKey> keys;
    private final String sealingKeyId;

    public SecretBox(EncryptionConfig config) {
        this.keys = parse(config.keys().orElse(List.of()));
        this.sealingKeyId = keys.isEmpty() ? null : keys.keySet().iterator().next();
    }

    public String seal(byte[] secret, String context) {
        SecretKey key = keys.get(requireKeys());
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret);
            return FORMAT + ":" + sealingKeyId + ":" + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    public String seal(String secret, String context) {
        return seal(secret.getBytes(StandardCharsets.UTF_8), context);
    }

    public byte[] open(String sealed, String context) {
        requireKeys();
        String[] parts = sealed.split(":", 3);
        if (parts.length != 3 || !FORMAT.equals(parts[0])) {
            throw new SecretBoxException("not a sealed secret");
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new SecretBoxException("sealed with key '" + parts[1] + "', which is no longer configured");
        }
        byte[] box = Base64.getDecoder().decode(parts[2]);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, box, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(box, NONCE_BYTES, box.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new SecretBoxException("sealed secret does not open in context '" + context + "'");
        }
    }

    public String openString(String sealed, String context) {
        return new String(open(sealed, context), StandardCharsets.UTF_8);
    }

    /**
     * An HMAC-SHA256 key for one purpose from each configured key, by the configured key's id, the sealing key's
     * first (it signs; the others still verify, so they rotate together). Derived with HKDF-Expand (RFC 5869, the
     * configured key as the pseudorandom key, {@code keyway:<purpose>} as the info): the encryption keys themselves
     * never sign, and a key of one purpose says nothing of another's. Empty when no key is configured.
     */
    public Map<String, SecretKey> macKeys(String purpose) {
        Map<String, SecretKey> derived = new LinkedHashMap<>();
        keys.forEach((id, key) -> {
            try {
                Mac hkdfExpand = Mac.getInstance("HmacSHA256");
                hkdfExpand.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
                hkdfExpand.update(("keyway:" + purpose).getBytes(StandardCharsets.UTF_8));
                // one 32-byte block: T(1) = HMAC(PRK, info || 0x01)
                hkdfExpand.update((byte) 1);
                derived.put(id, new SecretKeySpec(hkdfExpand.doFinal(), "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
            }
        });
        return derived;
    }

    private String requireKeys() {
        if (sealingKeyId == null) {
            throw new SecretBoxException("keyway.encryption.keys is not configured");
        }
        return sealingKeyId;
    }

    private static Map<String, SecretKey> parse(List<String> entries) {
        Map<String, SecretKey> parsed = new LinkedHashMap<>();
        for (String entry : entries) {
            String[] parts = entry.trim().split(":", 2);
            byte[] key = parts.length == 2 ? Base64.getDecoder().decode(parts[1].trim()) : new byte[0];
            if (parts[0].isBlank() || key.length != 32) {
                throw new IllegalArgumentException(
                        "keyway.encryption.keys: each entry is 'id:base64' of 32 random bytes (AES-256)");
            }
            parsed.put(parts[0].trim(), new SecretKeySpec(key, "AES"));
        }
        return parsed;
    }

    public static final class SecretBoxException extends RuntimeException {

        SecretBoxException(String message) {
            super(message);
        }
    }
}
