package dev.keyway.sso.saml;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateInstance;

/**
 * The HTML pages sign-in shows: Qute templates ({@code templates/Html/}), which escape every value they print, and
 * the Content-Security-Policy each is served under. Nothing on them loads, frames or runs but their own stylesheet
 * and, on the AuthnRequest form, the one auto-submit script, both allowed by hash. {@link HtmlResponseHeaders} puts
 * the strict policy on any HTML response that does not carry its own.
 */
final class Html {

    static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;"
            + "padding:0 1rem;color:#222}code{background:#f3f3f3;padding:.1rem .3rem}";
    static final String AUTO_SUBMIT = "document.forms[0].submit();";

    /** No script, no form target, no framing: every page but the AuthnRequest form. */
    static final String STRICT_POLICY = policy(null, "'none'");

    /** A page and the policy it must be served under. */
    record Page(String html, String contentSecurityPolicy) {
    }

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance refusal(RawString style, String message, String code);

        static native TemplateInstance postForm(RawString style, RawString script, String action, String samlRequest,
                String relayState);
    }

    private Html() {
    }

    static Page refusal(String message, String code) {
        return new Page(Templates.refusal(new RawString(STYLE), message, code).render(), STRICT_POLICY);
    }

    /** The auto-submitting form of the HTTP-POST binding: it may post to the IdP's origin only. */
    static Page postForm(String action, String samlRequest, String relayState) {
        String html = Templates.postForm(new RawString(STYLE), new RawString(AUTO_SUBMIT), action, samlRequest,
                relayState).render();
        return new Page(html, policy(hash(AUTO_SUBMIT), origin(action)));
    }

    private static String policy(String scriptHash, String formAction) {
        return "default-src 'none'; style-src '" + hash(STYLE) + "'"
                + (scriptHash == null ? "" : "; script-src '" + scriptHash + "'")
                + "; form-action " + formAction + "; frame-ancestors 'none'; base-uri 'none'";
    }

    /** scheme://host[:port] of an http(s) URL, as a CSP source; 'none' for anything else. */
    static String origin(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
                return "'none'";
            }
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                    + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        } catch (URISyntaxException | NullPointerException e) {
            return "'none'";
        }
    }

    /** A CSP hash source for an inline script or style. */
    static String hash(String inline) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(inline.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
