package dev.keyway.portal.page;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/**
 * quarkus-rest-csrf refuses a form post whose token does not match the browser's CSRF cookie with an empty 400, before
 * any resource runs (so nothing is written). This gives that refusal words: a forged post, or a form left open too long.
 */
public class CsrfRefusalPage {

    private final Template error;

    public CsrfRefusalPage(@Location("error.html") Template error) {
        this.error = error;
    }

    @ServerResponseFilter
    public void explain(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() == 400 && !response.hasEntity() && "POST".equals(request.getMethod())
                && isForm(request.getMediaType())) {
            response.setEntity(error.data("nav", null).data("title", "This form could not be accepted")
                    .data("advice", "Nothing was changed. The form did not come from this page in this browser"
                            + " (or was left open too long). Go back, reload the page and try again.")
                    .render(), null, MediaType.TEXT_HTML_TYPE);
            response.getHeaders().putSingle("Cache-Control", "no-store");
        }
    }

    private static boolean isForm(MediaType type) {
        return type != null && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE));
    }
}
