package dev.keyway.scim.protocol.filter;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.filters.Filter;

import dev.keyway.scim.protocol.ScimException;

/**
 * Parses RFC 7644 §3.4.2.2 filters with the SCIM 2 SDK's grammar, adding the one check it skips (an unclosed
 * {@code [} or {@code (}) and turning its messages into clean {@code invalidFilter} errors.
 */
public final class Filters {

    /** Longer filters are refused; no client needs more, and it bounds the SQL we build. */
    public static final int MAX_LENGTH = 4096;

    /** Deeper nesting of parentheses and brackets is refused; it bounds the parser's and the SQL's recursion. */
    public static final int MAX_NESTING = 16;

    private Filters() {
    }

    public static Filter parse(String text) {
        if (text == null || text.isBlank()) {
            throw ScimException.invalidFilter("The filter is empty.");
        }
        if (text.length() > MAX_LENGTH) {
            throw ScimException.invalidFilter("The filter is longer than " + MAX_LENGTH + " characters.");
        }
        requireBalanced(text);
        try {
            return Filter.fromString(text);
        } catch (BadRequestException e) {
            throw ScimException.invalidFilter("Invalid filter: " + clean(e.getMessage()));
        }
    }

    private static void requireBalanced(String text) {
        int parentheses = 0;
        int brackets = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> quoted = true;
                case '(' -> parentheses++;
                case ')' -> parentheses--;
                case '[' -> brackets++;
                case ']' -> brackets--;
                default -> {
                }
            }
            if (parentheses + brackets > MAX_NESTING) {
                throw ScimException.invalidFilter("Invalid filter: nested deeper than " + MAX_NESTING + " levels.");
            }
            if (parentheses < 0 || brackets < 0) {
                throw ScimException.invalidFilter("Invalid filter: unexpected '" + c + "' at position " + i + ".");
            }
        }
        if (quoted) {
            throw ScimException.invalidFilter("Invalid filter: a string is not closed.");
        }
        if (parentheses != 0 || brackets != 0) {
            throw ScimException
                    .invalidFilter("Invalid filter: " + (parentheses != 0 ? "'('" : "'['") + " is not closed.");
        }
    }

    /** The SDK appends parser internals ("at [Source: …]") to its messages; callers need only the first sentence. */
    private static String clean(String message) {
        if (message == null) {
            return "cannot parse it.";
        }
        int internals = message.indexOf(" at [Source");
        String first = (internals > 0 ? message.substring(0, internals) : message).lines().findFirst().orElse("");
        return first.replaceAll("\\s*\\(`[^`]*`[^)]*\\)", "").strip();
    }
}
