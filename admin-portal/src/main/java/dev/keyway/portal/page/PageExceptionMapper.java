package dev.keyway.portal.page;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.keyway.portal.link.SetupLink;
import dev.keyway.portal.link.SetupLinks;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/** The portal's refusals as pages: what happened in plain words and what to do next, never a stack trace. */
public class PageExceptionMapper {

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

    Response render(int status, String title, String advice) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-store")
                .entity(error.data("nav", null).data("title", title).data("advice", advice).render()).build();
    }
}
