package dev.keyway.portal.page;

import java.net.URI;
import java.time.Duration;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.keyway.portal.PortalConfig;
import dev.keyway.portal.link.SetupLinks;
import dev.keyway.portal.session.PortalSessions;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Where a setup link lands. Opening it shows a button; only the button's post (CSRF-checked) uses the link up and
 * starts the browser's session, so a mail scanner or link preview that fetches the URL does not burn it.
 * Anyone holding a link may come here (the link is the credential), hence {@code @PermitAll}.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class SetupPage {

    private final SetupLinks links;
    private final PortalSessions sessions;
    private final PortalConfig config;
    private final Template setup;
    private final Template home;
    private final Template error;

    public SetupPage(SetupLinks links, PortalSessions sessions, PortalConfig config,
            @Location("setup.html") Template setup, @Location("home.html") Template home,
            @Location("error.html") Template error) {
        this.links = links;
        this.sessions = sessions;
        this.config = config;
        this.setup = setup;
        this.home = home;
        this.error = error;
    }

    @GET
    @Path("setup/{secret}")
    public Uni<TemplateInstance> open(@PathParam("secret") String secret) {
        return links.peek(secret).map(link -> setup.data("nav", null).data("slug", link.orgSlug())
                .data("scopes", link.scopes()).data("secret", secret)
                .data("lifetime", describe(config.sessionLifetime())));
    }

    @POST
    @Path("setup/{secret}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> exchange(@PathParam("secret") String secret) {
        return links.open(secret).map(opened -> Response.seeOther(URI.create("/portal/" + opened.slug()))
                .cookie(sessions.cookie(opened.sessionId())).header("Cache-Control", "no-store").build());
    }

    @GET
    @Path("portal/{slug}")
    public Uni<TemplateInstance> home(@PathParam("slug") String slug,
            @CookieParam(PortalSessions.COOKIE) String cookie) {
        return sessions.require(cookie, slug, null)
                .map(session -> home.data("nav", new Portal.Nav(slug, session.scopes(), "home")));
    }

    @POST
    @Path("portal/{slug}/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signOut(@PathParam("slug") String slug, @CookieParam(PortalSessions.COOKIE) String cookie) {
        return sessions.require(cookie, slug, null).chain(sessions::end)
                .replaceWith(() -> Response.ok(error.data("nav", null).data("title", "You are signed out")
                        .data("advice", "Your session has ended. Open a new setup link to come back.").render())
                        .cookie(sessions.expired()).header("Cache-Control", "no-store").build());
    }

    private static String describe(Duration lifetime) {
        long minutes = lifetime.toMinutes();
        return minutes % 60 == 0 ? (minutes / 60) + " hour" + (minutes == 60 ? "" : "s") : minutes + " minutes";
    }
}
