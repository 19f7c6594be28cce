package dev.keyway.runtime.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;

import org.junit.jupiter.api.Test;

/** The HMAC keys derived from the encryption keys: one per purpose, stable, and never an encryption key itself. */
class SecretBoxTest {

    private static final String NEW = "new:" + Base64.getEncoder().encodeToString(bytes(1));
    private static final String OLD = "old:" + Base64.getEncoder().encodeToString(bytes(2));

    @Test
    void eachConfiguredKeyYieldsAMacKeyThatSignsInTheKeysOrder() {
        Map<String, SecretKey> keys = box(NEW, OLD).macKeys("session");

        assertEquals(List.of("new", "old"), List.copyOf(keys.keySet()));
        assertEquals("HmacSHA256", keys.get("new").getAlgorithm());
        assertEquals(32, keys.get("new").getEncoded().length);
        assertFalse(Arrays.equals(keys.get("new").getEncoded(), keys.get("old").getEncoded()));
    }

    @Test
    void theSameKeyAndPurposeGiveTheSameMacKeyOnEveryReplica() {
        assertArrayEquals(box(NEW, OLD).macKeys("session").get("old").getEncoded(),
                box(OLD).macKeys("session").get("old").getEncoded());
    }

    @Test
    void aMacKeyIsNeitherTheEncryptionKeyNorAnotherPurposesKey() {
        byte[] session = box(NEW).macKeys("session").get("new").getEncoded();

        assertFalse(Arrays.equals(bytes(1), session));
        assertFalse(Arrays.equals(box(NEW).macKeys("sessions").get("new").getEncoded(), session));
    }

    @Test
    void withoutEncryptionKeysThereIsNoMacKey() {
        assertTrue(new SecretBox(Optional::empty).macKeys("session").isEmpty());
    }

    private static SecretBox box(String... keys) {
        return new SecretBox(() -> Optional.of(List.of(keys)));
    }

    private static byte[] bytes(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }
}
