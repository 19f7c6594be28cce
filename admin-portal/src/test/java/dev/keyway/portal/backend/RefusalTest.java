package dev.keyway.portal.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

/** A service's refusal, read so the page can put its detail next to the field it names. */
class RefusalTest {

    @Test
    void theFieldIsTheWordBeforeTheColonWithoutAnIndex() {
        assertEquals("certificates", new Refusal(400, "certificates[0]: not base64; paste …").field());
        assertEquals("ssoUrl", new Refusal(400, "ssoUrl: must be https").field());
        assertEquals("", new Refusal(400, "JumpCloud refused the API key. Check it").field());
        assertEquals("metadata", new Refusal(400, "metadata: SingleSignOnService 1: not https").field());
    }

    @Test
    void onlyA4xxIsARefusalOtherFailuresStayFailures() {
        assertTrue(Refusal.of(new WebApplicationException(Response.status(500).build())).isEmpty());
        assertTrue(Refusal.of(new IllegalStateException("unreachable")).isEmpty());
        assertEquals(409, Refusal.of(new WebApplicationException(Response.status(409).build())).orElseThrow()
                .status());
    }
}
