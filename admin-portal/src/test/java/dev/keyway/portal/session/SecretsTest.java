package dev.keyway.portal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Link secrets and session ids: 256 random bits, URL- and cookie-safe; only their hashes are looked up. */
class SecretsTest {

    @Test
    void secretsAreRandomAndWellFormed() {
        String one = Secrets.random();
        String two = Secrets.random();
        assertNotEquals(one, two);
        assertEquals(43, one.length());
        assertTrue(Secrets.wellFormed(one));
    }

    @Test
    void anythingElseIsNotLookedUp() {
        assertFalse(Secrets.wellFormed(null));
        assertFalse(Secrets.wellFormed(""));
        assertFalse(Secrets.wellFormed("x".repeat(42)));
        assertFalse(Secrets.wellFormed("x".repeat(42) + "/"));
        assertFalse(Secrets.wellFormed("x".repeat(42) + "\u0000"));
    }

    @Test
    void theHashIsSha256() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Secrets.sha256Hex("abc"));
    }
}
