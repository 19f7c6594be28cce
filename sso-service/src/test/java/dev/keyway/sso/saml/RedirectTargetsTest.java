package dev.keyway.sso.saml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RelayState and returnTo: where a browser may be sent after sign-in (Java escapes in the table are decoded). */
class RedirectTargetsTest {

    private static final List<String> ALLOWED = List.of("app.acme.test", "admin.acme.test:8443");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/", "/reports", "/projects/42?tab=x#top", "/a%20b", "/caf%C3%A9", "/search?q=a+b&x=%2B",
            "https://app.acme.test/reports", "https://APP.acme.test", "http://app.acme.test/x?y=1",
            "https://admin.acme.test:8443/console" })
    void plainTargetsAreFollowed(String target) {
        assertEquals(target, RedirectTargets.allowed(target, ALLOWED));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            // off-site, literally
            "//evil.example", "///evil.example", "https://evil.example/", "https://evil.example\\@app.acme.test/",
            "https://app.acme.test.evil.example/", "https://app.acme.test:8443/", "https://admin.acme.test/",
            // backslashes, which browsers read as slashes
            "\\/evil.example", "/\\evil.example", "\\\\evil.example", "/%5cevil.example", "/%5Cevil.example",
            "/%255cevil.example",
            // tabs, newlines and other controls, which browsers drop
            "/\\t/evil.example", "/\\n/evil.example", "\\t//evil.example", "/%09/evil.example", "/%0a/evil.example",
            "/%2509/evil.example", "/ok\\r\\nSet-Cookie: a=b", "/ok%0d%0aSet-Cookie:%20a=b", "/\\u0000", "/%00",
            "/x\\u007f", "/x%7f", "/x%c2%85",
            // leading spaces and slashes hidden by encoding
            " /reports", "/reports ", "\\u3000//evil.example", "/%2f/evil.example", "/%2F%2Fevil.example",
            // user info, other schemes, odd authorities
            "https://app.acme.test@evil.example/", "https://user:pw@app.acme.test/", "https:evil.example",
            "https:/evil.example", "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>",
            "ftp://app.acme.test/", "mailto:a@app.acme.test", "https://app%2eacme.test/",
            "https://app.acme.test%2f@evil.example/", "https://[::1]/",
            // relative to wherever the browser is, and the malformed
            "reports", "./reports", "../reports", "?x", "#x", "/%zz", "/caf\\u00e9", "" })
    void anythingElseIsIgnored(String target) {
        assertNull(RedirectTargets.allowed(unescape(target), ALLOWED), target);
    }

    @Test
    void aTargetLongerThanAnyRealPathIsIgnored() {
        assertNull(RedirectTargets.allowed("/" + "a".repeat(RedirectTargets.MAX_LENGTH), ALLOWED));
        assertNull(RedirectTargets.allowed(null, ALLOWED));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "https://elsewhere.example/home | https://elsewhere.example/home",
            "/home                          | /home",
            "//evil.example                 | null",
            "/home\\r\\nX: y                | null" })
    void anOperatorsLandingPageMayBeAnyHostButMustBePlain(String target, String landing) {
        assertEquals(landing, RedirectTargets.plain(unescape(target)));
    }

    private static String unescape(String text) {
        return text.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r").replace("\\u0000", "\u0000")
                .replace("\\u007f", "\u007f").replace("\\u3000", "\u3000").replace("\\u00e9", "\u00e9");
    }
}
