package dev.keyway.sso.saml;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP-POST binding's form body, decoded here rather than by the framework: Quarkus' form parser leaves a request
 * with a broken percent-escape ({@code SAMLResponse=%zz}) unanswered, while here it is one more typed refusal.
 *
 * @param samlResponse the SAMLResponse field, or null
 * @param relayState   the RelayState field, or null
 */
record AcsForm(String samlResponse, String relayState) {

    static AcsForm parse(String body) {
        String samlResponse = null;
        String relayState = null;
        for (String pair : body == null ? new String[0] : body.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if ("SAMLResponse".equals(name)) {
                samlResponse = once(samlResponse, value, name);
            } else if ("RelayState".equals(name)) {
                relayState = once(relayState, value, name);
            }
        }
        return new AcsForm(samlResponse, relayState);
    }

    /** A field given twice could be read one way here and another way by whoever logs or forwards it. */
    private static String once(String previous, String value, String name) {
        if (previous != null) {
            throw new SamlRejectedException(Rejection.MALFORMED, name + " given twice");
        }
        return value;
    }

    private static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SamlRejectedException(Rejection.MALFORMED, "form body is not percent-encoded: " + e.getMessage());
        }
    }
}
