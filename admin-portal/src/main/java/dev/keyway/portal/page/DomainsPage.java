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

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import dev.keyway.portal.backend.Refusal;
import dev.keyway.portal.backend.SsoAdmin;
import dev.keyway.portal.link.Scope;
import dev.keyway.portal.session.PortalSessions;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;

/**
 * E-mail domains: claim one, publish the DNS TXT record shown, verify. sso-service owns them. Reached with the portal's
 * session cookie, checked by {@link Portal#enter}; hence {@code @PermitAll}.
 */
@Path("/portal/{slug}/domains")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class DomainsPage {

    private final Portal portal;
    private final SsoAdmin sso;
    private final Template page;

    public DomainsPage(Portal portal, @RestClient SsoAdmin sso, @Location("domains.html") Template page) {
        this.portal = portal;
        this.sso = sso;
        this.page = page;
    }

    @GET
    public Uni<Response> show(@PathParam("slug") String slug, @CookieParam(PortalSessions.COOKIE) String cookie,
            @RestQuery String done) {
        return portal.enter(cookie, slug, Scope.DOMAINS).chain(visit -> render(visit, Map.of(), "", done, 200));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> claim(@PathParam("slug") String slug, @CookieParam(PortalSessions.COOKIE) String cookie,
            @RestForm String domain) {
        return portal.enter(cookie, slug, Scope.DOMAINS).chain(visit -> {
            if (domain == null || domain.isBlank()) {
                return render(visit, Map.of("domain", "Type the domain of your users' e-mail addresses."), "", null,
                        400);
            }
            return sso.claimDomain(visit.bearer(), slug, portal.object().put("domain", domain.strip()))
                    .map(claimed -> Response.seeOther(URI.create("/portal/" + slug + "/domains?done=claimed")).build())
                    .onFailure().recoverWithUni(failure -> Refusal.of(failure)
                            .map(refusal -> render(visit, Map.of("domain", refusal.detail()), domain, null, 400))
                            .orElseGet(() -> Uni.createFrom().failure(failure)));
        });
    }

    @POST
    @Path("{domain}/verify")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> verify(@PathParam("slug") String slug, @PathParam("domain") String domain,
            @CookieParam(PortalSessions.COOKIE) String cookie) {
        return portal.enter(cookie, slug, Scope.DOMAINS).chain(visit -> sso.verifyDomain(visit.bearer(), slug, domain)
                .map(verified -> Response.seeOther(URI.create("/portal/" + slug + "/domains?done=verified")).build())
                .onFailure().recoverWithUni(failure -> Refusal.of(failure)
                        .map(refusal -> render(visit, Map.of(domain, refusal.detail()), "", null, 422))
                        .orElseGet(() -> Uni.createFrom().failure(failure))));
    }

    private Uni<Response> render(Portal.Visit visit, Map<String, String> errors, String typed, String done,
            int status) {
        return sso.domains(visit.bearer(), visit.slug()).map(domains -> Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE).entity(page.data("nav", visit.nav()).data("domains",
                        portal.list(domains)).data("errors", errors).data("typed", typed)
                        .data("done", done == null ? "" : done).render())
                .build());
    }
}
