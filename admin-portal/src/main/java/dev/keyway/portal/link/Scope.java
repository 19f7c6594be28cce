package dev.keyway.portal.link;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a setup link lets its holder configure: one page of the portal each. */
public enum Scope {

    SSO,
    SCIM,
    IMPORTS,
    DOMAINS,
    LOGS;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> of(String code) {
        return Arrays.stream(values()).filter(scope -> scope.code().equals(code)).findFirst();
    }
}
