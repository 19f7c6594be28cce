package dev.keyway.sso.saml;

/** A SAML response refused by one named rule; {@code detail} is for the log, never for the browser. */
public class SamlRejectedException extends RuntimeException {

    private final Rejection reason;

    public SamlRejectedException(Rejection reason, String detail) {
        super(reason.code() + (detail == null ? "" : ": " + detail));
        this.reason = reason;
    }

    public SamlRejectedException(Rejection reason, String detail, Throwable cause) {
        super(reason.code() + (detail == null ? "" : ": " + detail), cause);
        this.reason = reason;
    }

    public Rejection reason() {
        return reason;
    }
}
