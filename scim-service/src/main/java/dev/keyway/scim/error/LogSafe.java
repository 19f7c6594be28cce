package dev.keyway.scim.error;

/**
 * Makes a value a client chose (a userName, an externalId, a filter, a detail quoting them) safe inside one log
 * line: control characters (CR and LF included) and the quote and backslash of the logfmt-like format are escaped,
 * so no value can end the line or forge a field. To be replaced by the shared helper in common-model once it exists.
 */
public final class LogSafe {

    private LogSafe() {
    }

    public static String escape(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
