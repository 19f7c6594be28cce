package dev.keyway.sso.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What counts as an e-mail domain, and the one spelling it is stored and compared in. */
class DomainNameTest {

    @ParameterizedTest
    @CsvSource({
            "Acme.Example, acme.example",
            "' acme.example. ', acme.example",
            "eu.mail.acme.example, eu.mail.acme.example",
            "bücher.example, xn--bcher-kva.example",
            "xn--p1ai.xn--p1ai, xn--p1ai.xn--p1ai",
            "a-b.co, a-b.co" })
    void aDomainIsStoredLowerCaseInAscii(String text, String stored) {
        assertEquals(Optional.of(stored), DomainName.normalize(text));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "localhost", "example", "a..example", "-acme.example", "acme-.example",
            "*.acme.example", "_dmarc.acme.example", "acme.example/path", "user@acme.example", "acme example.com",
            "10.0.0.1", "acme.exa\tmple", "acme.example\u0000" })
    void anythingElseIsNotADomain(String text) {
        assertTrue(DomainName.normalize(text).isEmpty(), text);
    }

    @org.junit.jupiter.api.Test
    void aDomainWhoseChallengeNameWouldNotFitDnsIsRefused() {
        String longest = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(49) + ".ex";
        assertEquals(DomainName.MAX_LENGTH, longest.length());
        assertTrue(DomainName.normalize(longest).isPresent());
        assertTrue(DomainName.normalize("a" + longest).isEmpty());
    }
}
