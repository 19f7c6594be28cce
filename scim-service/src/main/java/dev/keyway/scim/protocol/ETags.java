package dev.keyway.scim.protocol;

import jakarta.ws.rs.core.Response;

/** Weak entity tags from a resource's version (RFC 7644 §3.14), and the If-Match check for writes. */
public final class ETags {

    private ETags() {
    }

    public static String of(long version) {
        return "W/\"" + version + "\"";
    }

    /** A write with an If-Match that names another version fails with 412; no If-Match, or {@code *}, passes. */
    public static void requireMatch(String ifMatch, long version) {
        if (ifMatch == null || ifMatch.isBlank() || matches(ifMatch, version)) {
            return;
        }
        throw new ScimException(Response.Status.PRECONDITION_FAILED, null,
                "The resource has changed (its version is " + of(version) + ", If-Match said " + ifMatch.trim() + ").");
    }

    /** Whether an If-Match / If-None-Match list names this version (weak comparison, RFC 9110 §8.8.3.2). */
    public static boolean matches(String header, long version) {
        for (String tag : header.split(",")) {
            String trimmed = tag.trim();
            if (trimmed.equals("*")) {
                return true;
            }
            String opaque = trimmed.startsWith("W/") ? trimmed.substring(2) : trimmed;
            if (opaque.equals("\"" + version + "\"")) {
                return true;
            }
        }
        return false;
    }
}
