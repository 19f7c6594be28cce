package dev.keyway.portal.page;

import java.net.URI;
import java.util.Map;

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

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keyway.portal.PortalConfig;
import dev.keyway.portal.backend.Refusal;
import dev.keyway.portal.backend.ScimAdmin;
import dev.keyway.portal.link.Scope;
import dev.keyway.portal.session.PortalSessions;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;

/**
 * SCIM provisioning: the base URL to paste into JumpCloud, tokens (shown once, rotated with overlap, revoked, last
 * use), group management and departments. scim-service owns it all. Reached with the portal's session cookie, checked
 * by {@link Portal#enter}; hence {@code @PermitAll}.
 */
@Path("/portal/{slug}/scim")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class ScimPage {

    private final Portal portal;
    private final ScimAdmin scim;
    private final Template page;
    private final String baseUrl;

    public ScimPage(Portal portal, @RestClient ScimAdmin scim, @Location("scim.html") Template page,
            PortalConfig config, @ConfigProperty(name = "quarkus.rest-client.scim.url") String scimUrl) {
        this.portal = portal;
        this.scim = scim;
        this.page = page;
        this.baseUrl = config.scimPublicUrl().orElse(scimUrl).replaceAll("/+$", "") + "/scim/v2";
    }

    @GET
    public Uni<Response> show(@PathParam("slug") String slug, @CookieParam(PortalSessions.COOKIE) String cookie,
            @RestQuery String done) {
        return portal.enter(cookie, slug, Scope.SCIM).chain(visit -> render(visit, null, null, done, 200));
    }

    /** A new token: the only time its secret is shown; earlier tokens keep working until revoked (overlap). */
    @POST
    @Path("tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> generate(@PathParam("slug") String slug, @CookieParam(PortalSessions.COOKIE) String cookie) {
        return portal.enter(cookie, slug, Scope.SCIM).chain(visit -> scim.issueToken(visit.bearer(), slug)
                .chain(issued -> render(visit, portal.map(issued), null, null, 200)));
    }

    @POST
    @Path("tokens/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> revoke(@PathParam("slug") String slug, @PathParam("id") String id,
            @CookieParam(PortalSessions.COOKIE) String cookie) {
        return portal.enter(cookie, slug, Scope.SCIM).chain(visit -> done(visit,
                scim.revokeToken(visit.bearer(), slug, id).replaceWith(portal.object()), "token-revoked"));
    }

    @POST
    @Path("groups")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> groups(@PathParam("slug") String slug, @CookieParam(PortalSessions.COOKIE) String cookie,
            @RestForm String enabled) {
        return portal.enter(cookie, slug, Scope.SCIM).chain(visit -> done(visit, scim.updateSettings(visit.bearer(),
                slug, portal.object().put("groupsEnabled", "on".equals(enabled))), "settings-saved"));
    }

    @POST
    @Path("departments/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> department(@PathParam("slug") String slug, @PathParam("id") String id,
            @CookieParam(PortalSessions.COOKIE) String cookie, @RestForm String enabled) {
        return portal.enter(cookie, slug, Scope.SCIM).chain(visit -> done(visit, scim.updateDepartment(
                visit.bearer(), slug, id, portal.object().put("enabled", "true".equals(enabled))),
                "department-saved"));
    }

    private Uni<Response> done(Portal.Visit visit, Uni<JsonNode> call, String done) {
        return call.map(ignored -> Response.seeOther(URI.create("/portal/" + visit.slug() + "/scim?done=" + done))
                .build())
                .onFailure().recoverWithUni(failure -> Refusal.of(failure)
                        .map(refusal -> render(visit, null, refusal.detail(), null, 400))
                        .orElseGet(() -> Uni.createFrom().failure(failure)));
    }

    private Uni<Response> render(Portal.Visit visit, Map<String, Object> issued, String error, String done,
            int status) {
        String slug = visit.slug();
        return Uni.combine().all().unis(scim.tokens(visit.bearer(), slug), scim.settings(visit.bearer(), slug),
                scim.departments(visit.bearer(), slug)).asTuple()
                .map(all -> Response.status(status).type(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-store")
                        .entity(page.data("nav", visit.nav()).data("baseUrl", baseUrl)
                                .data("tokens", portal.map(all.getItem1()))
                                .data("groupsEnabled", all.getItem2().path("groupsEnabled").asBoolean(true))
                                .data("departments", portal.list(all.getItem3()))
                                .data("issued", issued).data("error", error).data("done", done == null ? "" : done)
                                .render())
                        .build());
    }
}
