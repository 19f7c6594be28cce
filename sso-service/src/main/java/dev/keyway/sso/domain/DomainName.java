package dev.keyway.sso.domain;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.keyway.runtime.problem.ApiException;

/** An e-mail domain as Keyway stores and compares it: lower-case ASCII (IDNs in punycode), no trailing dot. */
public final class DomainName {

    /** So that {@code _keyway-challenge.<domain>} still fits DNS's 253 characters. */
    static final int MAX_LENGTH = 253 - EmailDomain.CHALLENGE_PREFIX.length();

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern NUMERIC = Pattern.compile("[0-9]+");

    private DomainName() {
    }

    /** The normalized domain; 400 for anything that is not a domain name of two labels or more. */
    public static String parse(String text) {
        return normalize(text).orElseThrow(() -> ApiException.badRequest("domain: a domain name such as example.com "
                + "(letters, digits and hyphens, at least two labels, at most " + MAX_LENGTH + " characters)."));
    }

    /** The normalized domain, or empty when {@code text} is not one (e.g. the part after '@' of a typo). */
    public static Optional<String> normalize(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String name = text.strip();
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        try {
            name = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String[] labels = name.split("\\.", -1);
        if (name.length() > MAX_LENGTH || labels.length < 2 || NUMERIC.matcher(labels[labels.length - 1]).matches()) {
            return Optional.empty();
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(name);
    }
}
