package dev.keyway.sso.saml;

/**
 * Which signature must cover the assertion used. JumpCloud signs the assertion, the response, or both, as its admin
 * ticks; {@code EITHER} accepts all three and is the default.
 */
public enum SignaturePolicy {

    EITHER,
    ASSERTION,
    RESPONSE,
    BOTH;

    /** Whether the Response itself must be signed (then an encrypted assertion in an unsigned one is not decrypted). */
    public boolean requiresResponseSignature() {
        return this == RESPONSE || this == BOTH;
    }
}
