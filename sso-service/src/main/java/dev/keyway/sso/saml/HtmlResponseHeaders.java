package dev.keyway.sso.saml;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every HTML response sso-service sends gets a strict Content-Security-Policy (unless its page set a stricter-scoped
 * one of its own, as the AuthnRequest form does), declares its charset, and is never content-sniffed, framed, or
 * announced in a Referer.
 */
public class HtmlResponseHeaders {

    @ServerResponseFilter
    public void secure(ContainerResponseContext response) {
        MediaType type = response.getMediaType();
        if (type == null || !"text".equalsIgnoreCase(type.getType()) || !"html".equalsIgnoreCase(type.getSubtype())) {
            return;
        }
        MultivaluedMap<String, Object> headers = response.getHeaders();
        if (!type.getParameters().containsKey(MediaType.CHARSET_PARAMETER)) {
            // the pages say so in a meta tag too, but a browser must not have to guess before reading it
            headers.putSingle("Content-Type", type.withCharset("UTF-8"));
        }
        if (!headers.containsKey("Content-Security-Policy")) {
            headers.putSingle("Content-Security-Policy", Html.STRICT_POLICY);
        }
        headers.putSingle("X-Content-Type-Options", "nosniff");
        headers.putSingle("X-Frame-Options", "DENY");
        headers.putSingle("Referrer-Policy", "no-referrer");
    }
}
