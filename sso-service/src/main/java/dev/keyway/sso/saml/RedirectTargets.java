package dev.keyway.sso.saml;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;

/**
 * Where a browser may be sent after sign-in. Browsers repair what they are given (they drop tabs and newlines, read
 * {@code \} as {@code /}, decode percent escapes in some places), so {@code /\t/evil.example} is {@code //evil.example}
 * to them. Rather than predict every repair, only plain targets pass: printable ASCII, no backslash, nothing that a
 * later decoding turns into a control character, a backslash or a second leading slash; and then either a path on
 * this host or an http(s) URL on an allowed host, without user info.
 */
final class RedirectTargets {

    /** Longer targets are not followed (no real return path needs more, and they end up in headers). */
    static final int MAX_LENGTH = 2048;

    /** How many layers of percent-encoding are looked through. */
    private static final int DECODING_DEPTH = 3;

    private RedirectTargets() {
    }

    /** The target as given if it is a path on this host or a URL on one of {@code allowedHosts}; otherwise null. */
    static String allowed(String target, Collection<String> allowedHosts) {
        URI uri = plainUri(target);
        if (uri == null) {
            return null;
        }
        if (uri.getScheme() == null) {
            return target;
        }
        String host = uri.getPort() >= 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
        return allowedHosts.contains(host.toLowerCase(Locale.ROOT)) ? target : null;
    }

    /** The target if it is plain (a path, or an http(s) URL on any host), else null: for operator-set landing pages. */
    static String plain(String target) {
        return plainUri(target) == null ? null : target;
    }

    private static URI plainUri(String target) {
        if (target == null || target.isEmpty() || target.length() > MAX_LENGTH || !printableAscii(target)) {
            return null;
        }
        String layer = target;
        for (int depth = 0; depth < DECODING_DEPTH && layer.indexOf('%') >= 0; depth++) {
            try {
                // '+' is not a space in a path; keep it so only real escapes are decoded
                layer = URLDecoder.decode(layer.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformedEscape) {
                return null;
            }
            if (layer.startsWith("//") || layer.chars().anyMatch(c -> c == '\\' || Character.isISOControl(c))) {
                return null;
            }
        }
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            return null;
        }
        if (uri.getScheme() == null) {
            // a path on this host: "/x", never "//host" (scheme-relative) nor "x" (relative to wherever we are)
            return target.startsWith("/") && !target.startsWith("//") && uri.getRawAuthority() == null ? uri : null;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.isOpaque() || uri.getHost() == null
                || uri.getRawUserInfo() != null) {
            return null;
        }
        // the authority must be exactly host[:port]: nothing a browser could read differently than java.net.URI
        String authority = uri.getPort() >= 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
        return authority.equalsIgnoreCase(uri.getRawAuthority()) ? uri : null;
    }

    /** No space, no control character, no backslash, nothing outside ASCII. */
    private static boolean printableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
