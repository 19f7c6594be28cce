package dev.keyway.sso.saml;

/**
 * Which signature must cover the assertion used. JumpCloud signs the assertion, the response, or both, as its admin
 * ticks; {@code EITHER} accepts all three and is the default.
 */
public enum SignaturePolicy {
    EITHER, ASSERTION, RESPONSE, BOTH
}
