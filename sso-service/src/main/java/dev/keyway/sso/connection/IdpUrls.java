package dev.keyway.sso.connection;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import dev.keyway.runtime.problem.ApiException;

/**
 * The one check every IdP address passes before it is saved or fetched, however it arrived: typed by hand (ssoUrl),
 * read from uploaded or fetched metadata (SingleSignOnService Location), a metadata URL, or a redirect while fetching
 * one. Browsers are sent to these addresses, so {@code javascript:}, {@code data:} or relative ones must never be
 * stored; plain http only when the operator allows it ({@code keyway.sso.allow-http-metadata-urls}, for tests and
 * local stand-ins).
 */
public final class IdpUrls {

    private IdpUrls() {
    }

    /**
     * @param field names the value in the error ("ssoUrl", "metadataUrl", "metadata: SingleSignOnService …")
     * @return the URL, stripped
     * @throws ApiException 400 naming the field and what is wrong
     */
    public static URI require(String text, String field, boolean allowHttp) {
        String expected = allowHttp ? "an absolute https:// (or http://) URL" : "an absolute https:// URL";
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest(field + ": required, " + expected + ".");
        }
        String url = text.strip();
        // control characters, spaces and backslashes are read differently by browsers and URI parsers
        if (url.chars().anyMatch(c -> c < 0x21 || c == 0x7f || c == '\\')) {
            throw ApiException.badRequest(field + ": must be " + expected + " without spaces, control characters "
                    + "or backslashes.");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest(field + ": not a URL; must be " + expected + ".");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !(allowHttp && "http".equals(scheme))) {
            throw ApiException.badRequest(field + ": must be " + expected + "; "
                    + (scheme == null ? "a relative URL" : "the scheme '" + scheme + ":'") + " is refused.");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw ApiException.badRequest(field + ": must be " + expected + " naming a host (and no user name).");
        }
        return uri;
    }
}
