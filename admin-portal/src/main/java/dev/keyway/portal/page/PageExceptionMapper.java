package dev.keyway.portal.page;

import java.net.ConnectException;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.ClientWebApplicationException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.keyway.portal.link.SetupLink;
import dev.keyway.portal.link.SetupLinks;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/** The portal's refusals as pages: what happened in plain words and what to do next, never a stack trace. */
public class PageExceptionMapper {

    private static final Logger LOG = Logger.getLogger(PageExceptionMapper.class);

    private final Template error;

    public PageExceptionMapper(@Location("error.html") Template error) {
        this.error = error;
    }

    @ServerExceptionMapper
    public Response page(PageException e) {
        return render(e.status(), e.title(), e.advice());
    }

    @ServerExceptionMapper
    public Response link(SetupLinks.NotUsable e) {
        return render(e.reason() == SetupLink.Unusable.UNKNOWN ? 404 : 410,
                e.reason().title(), e.reason().advice());
    }

    /**
     * A service answered a page's call with something the page does not handle (a 5xx, or a 4xx where none was
     * expected), or did not answer: a page, not a problem+json body, and never the service's own words.
     */
    @ServerExceptionMapper
    public Response service(ClientWebApplicationException e) {
        LOG.warnf("A service refused or failed a portal call: %s", e.getMessage());
        return render(502, "Keyway could not complete this",
                "One of Keyway's services did not accept the change. Reload the page and try again; if it persists,"
                        + " contact the support of the application that sent you the link.");
    }

    @ServerExceptionMapper
    public Response unreachable(ConnectException e) {
        return unreachable((Exception) e);
    }

    @ServerExceptionMapper
    public Response unreachable(ProcessingException e) {
        return unreachable((Exception) e);
    }

    private Response unreachable(Exception e) {
        LOG.warnf("A service did not answer a portal call: %s", e.getMessage());
        return render(503, "Keyway is not reachable right now", "Nothing was changed. Try again in a minute.");
    }

    Response render(int status, String title, String advice) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-store")
                .entity(error.data("nav", null).data("title", title).data("advice", advice).render()).build();
    }
}
