package dev.keyway.scim.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

/**
 * RFC 9865 cursors: opaque to the client, here the id after which the next page starts (pages are ordered by id),
 * so a listing stays stable under concurrent writes and a cursor never expires.
 */
public final class Cursors {

    private static final String VERSION = "1:";

    private Cursors() {
    }

    public static String encode(UUID after) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((VERSION + after).getBytes(StandardCharsets.UTF_8));
    }

    /** The id a cursor points after; null for the empty cursor (the first page). */
    public static UUID decode(String cursor) {
        if (cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(VERSION)) {
                return UUID.fromString(text.substring(VERSION.length()));
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new ScimException(Response.Status.BAD_REQUEST, "invalidCursor",
                "The cursor is not one this server issued.");
    }
}
