package dev.keyway.runtime.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogSafeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "newline         | 'ada\\n level=ERROR msg=forged'       | 'ada\\\\n level=ERROR msg=forged'",
            "carriage return | 'a\\rb'                               | 'a\\\\rb'",
            "quote           | 'a\" level=ERROR x=\"'               | 'a\\\\\" level=ERROR x=\\\\\"'",
            "backslash       | 'a\\\\b'                             | 'a\\\\\\\\b'",
            "tab             | 'a\\tb'                               | 'a\\\\tb'",
            "NUL             | 'a\\u0000b'                           | 'a\\\\u0000b'",
            "escape (ANSI)   | '\\u001b[31mred'                      | '\\\\u001b[31mred'",
            "NEL (C1)        | 'a\\u0085b'                           | 'a\\\\u0085b'",
            "line separator  | 'a\\u2028b'                           | 'a\\\\u2028b'",
            "bidi override   | 'a\\u202eb'                           | 'a\\\\u202eb'",
            "lone surrogate  | 'a\\ud800b'                           | 'a\\\\ud800b'",
            "plain           | 'ada@acme.test'                       | 'ada@acme.test'",
            "non-latin       | 'zoë 名前 😀'                          | 'zoë 名前 😀'",
    })
    void escapesWhatCouldForgeOrHideALine(String name, String raw, String logged) {
        assertEquals(unescapeJava(logged), LogSafe.value(unescapeJava(raw)));
    }

    @Test
    void theResultIsAlwaysOneLineWithoutARawQuote() {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            every.append(c);
        }
        String safe = LogSafe.value(every.toString().substring(0, 200) + every.substring(0x2000, 0x2100));
        assertFalse(safe.contains("\n") || safe.contains("\r"), safe);
        assertFalse(safe.replace("\\\"", "").contains("\""), safe);
    }

    @Test
    void longValuesAreCutAndNullIsADash() {
        String safe = LogSafe.value("x".repeat(10_000));
        assertTrue(safe.length() < LogSafe.MAX_LENGTH + 30 && safe.endsWith("(10000 chars)"), safe);
        assertEquals("-", LogSafe.value(null));
    }

    @Test
    void aPseudonymIsStableIgnoresCaseAndHidesTheAddress() {
        assertEquals(LogSafe.pseudonym("Ada@Acme.test"), LogSafe.pseudonym("ada@acme.test"));
        assertNotEquals(LogSafe.pseudonym("ada@acme.test"), LogSafe.pseudonym("bob@acme.test"));
        assertFalse(LogSafe.pseudonym("ada@acme.test").contains("ada"));
        assertTrue(LogSafe.pseudonym("ada@acme.test").matches("sha256:[0-9a-f]{16}"));
    }

    /** The table writes escapes as Java would, so invisible characters stay readable. */
    private static String unescapeJava(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
