package dev.keyway.sso.saml;

import java.util.Locale;

/**
 * Why a SAML response was refused, one code per rule, in the order the rules run. The code is logged, counted and
 * recorded in the organization's login audit, so a failed login can be debugged from the log; what the browser is
 * shown is {@link #outward()}.
 */
public enum Rejection {

    TOO_LARGE("The SAML response is larger than allowed."),
    MALFORMED("The SAML response is not a well-formed SAML 2.0 Response."),
    DTD_FORBIDDEN("The SAML response contains a DOCTYPE (DTDs and entities are refused)."),
    BINDING_NOT_SUPPORTED("The assertion consumer service accepts only the HTTP-POST binding (a form post)."),
    DUPLICATE_ID("Two elements of the SAML response share an ID."),
    WRONG_VERSION("The response or its assertion is not SAML 2.0."),
    STATUS_NOT_SUCCESS("The identity provider did not report success."),
    UNKNOWN_IN_RESPONSE_TO("The response answers a request this organization did not make (or one already used)."),
    BROWSER_MISMATCH("This sign-in was started in another browser, or its cookie was lost; start it again."),
    UNSOLICITED_NOT_ALLOWED("IdP-initiated sign-in is switched off for this organization."),
    IN_RESPONSE_TO_MISMATCH("The request the response claims to answer differs from the one its signature covers."),
    WRONG_DESTINATION("The response is addressed to another endpoint."),
    WRONG_ISSUER("The response comes from another identity provider."),
    ASSERTION_COUNT("The response must carry exactly one assertion."),
    SIGNATURE_ALGORITHM_NOT_ALLOWED("The signature uses an algorithm this organization does not allow."),
    SIGNATURE_INVALID("A signature does not verify with the identity provider's configured certificates."),
    SIGNATURE_MISSING("The assertion is not covered by a signature this organization requires."),
    ENCRYPTION_ALGORITHM_NOT_ALLOWED("The assertion is encrypted with an algorithm that is refused (RSA-1_5, …)."),
    DECRYPTION_FAILED("The encrypted assertion could not be decrypted with this organization's SP keys."),
    NOT_YET_VALID("The assertion is not valid yet."),
    EXPIRED("The assertion has expired."),
    UNKNOWN_CONDITION("The assertion carries a condition this service provider does not understand."),
    WRONG_AUDIENCE("The assertion is meant for another service provider."),
    BEARER_CONFIRMATION_INVALID("The assertion has no valid bearer subject confirmation for this endpoint."),
    REPLAYED("This assertion has been used before."),
    NAME_ID_MISSING("The assertion names no subject."),
    AUTHN_STATEMENT_MISSING("The assertion does not say how the user authenticated."),
    TOO_MANY_SIGN_INS("Too many sign-ins were started from here or for this organization; wait a minute and retry."),
    BUSY("Too many sign-ins are being processed right now; retry in a moment."),
    NOT_CONFIGURED("Single sign-on is not configured for this organization."),
    USER_UNKNOWN("There is no account for this user in the organization."),
    USER_INACTIVE("This account is deactivated."),
    /**
     * Never a rule of its own: what the browser is shown for every signature and decryption failure, so a refusal
     * page cannot serve as an oracle (which padding, which key, which reference failed) to someone forging or
     * probing ciphertexts. The precise reason stays in the login audit.
     */
    NOT_VERIFIED("The SAML response could not be verified.");

    private final String description;

    Rejection(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Codes are kebab-case in logs, metrics and pages. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * What a browser may be told: the signature and decryption family collapses into {@link #NOT_VERIFIED}; every
     * other reason is shown as it is. Pages render {@code outward().description()} and {@code outward().code()}.
     */
    public Rejection outward() {
        return switch (this) {
            case SIGNATURE_ALGORITHM_NOT_ALLOWED, SIGNATURE_INVALID, SIGNATURE_MISSING,
                    ENCRYPTION_ALGORITHM_NOT_ALLOWED,
                    DECRYPTION_FAILED ->
                NOT_VERIFIED;
            default -> this;
        };
    }
}
