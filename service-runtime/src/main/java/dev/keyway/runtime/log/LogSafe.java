package dev.keyway.runtime.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Values an outsider chose (SAML Issuer, NameID, RelayState, SCIM userName, …) made safe for one log line. The
 * console format is logfmt-like ({@code msg="%s"}), so a raw newline would start a forged line and a raw quote would
 * end the message early: both are escaped, as are every other control character and the invisible characters that
 * reorder or hide text (bidi overrides, line/paragraph separators). Long values are cut, so one field cannot flood
 * the log.
 */
public final class LogSafe {

    /** Longest value written as is; the rest is replaced by a marker. */
    public static final int MAX_LENGTH = 256;

    private LogSafe() {
    }

    /** The value with {@code \ " CR LF TAB} and other control/format characters escaped; {@code -} for null. */
    public static String value(Object value) {
        if (value == null) {
            return "-";
        }
        String text = value.toString();
        int shown = Math.min(text.length(), MAX_LENGTH);
        StringBuilder out = new StringBuilder(shown + 16);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (needsEscape(c)) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (shown < text.length()) {
            out.append("…(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    /**
     * An e-mail address (or any personal identifier) as a short stable pseudonym: the same address gives the same
     * value, so lines can be correlated, without the address itself appearing in the log.
     */
    public static String pseudonym(String identifier) {
        if (identifier == null) {
            return "-";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(identifier.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** Control characters, lone surrogates, and characters that are invisible or move text (bidi, separators). */
    private static boolean needsEscape(char c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || Character.isSurrogate(c) || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
