package dev.keyway.sso.saml;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.keyway.runtime.database.PoolOverload;
import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.sso.config.SsoConfig;
import dev.keyway.sso.connection.SamlAdminResource;
import dev.keyway.sso.connection.SamlConnections;
import dev.keyway.sso.connection.SpEndpoints;
import dev.keyway.sso.session.Sessions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** The SAML endpoints JumpCloud and browsers use, per organization. */
@Path("/saml/{slug}")
@Tag(name = "SAML")
@PermitAll
public class SamlResource {

    private final SignIn signIn;
    private final SamlConnections connections;
    private final SpEndpoints endpoints;
    private final SsoConfig config;
    private final AcsCapacity capacity;

    public SamlResource(SignIn signIn, SamlConnections connections, SpEndpoints endpoints, SsoConfig config,
            AcsCapacity capacity) {
        this.signIn = signIn;
        this.connections = connections;
        this.endpoints = endpoints;
        this.config = config;
        this.capacity = capacity;
    }

    @GET
    @Path("metadata")
    @Produces({ SamlAdminResource.SAML_METADATA, MediaType.APPLICATION_XML })
    @Operation(summary = "SP metadata: entity id, ACS (HTTP-POST), NameID formats, SP certificate")
    public Uni<Response> metadata(@PathParam("slug") String slug) {
        return connections.load(slug).map(connection -> Response.ok(SpMetadata.render(connection, endpoints))
                .type(SamlAdminResource.SAML_METADATA).build());
    }

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "SP-initiated sign-in: redirect (or post) an AuthnRequest to the organization's IdP")
    public Uni<Response> login(@PathParam("slug") String slug, @RestQuery String returnTo,
            @CookieParam(BrowserBinding.COOKIE) String browser, HttpServerRequest request) {
        String binding = BrowserBinding.reuseOrCreate(browser);
        return signIn.start(slug, returnTo, binding, client(request))
                .map(outgoing -> (outgoing instanceof AuthnRequests.Redirect redirect
                        ? Response.seeOther(URI.create(redirect.location()))
                        : Response.ok(((AuthnRequests.PostForm) outgoing).html(), MediaType.TEXT_HTML).header(
                                "Content-Security-Policy", ((AuthnRequests.PostForm) outgoing).contentSecurityPolicy()))
                        .cookie(BrowserBinding.cookie(slug, binding, config.pendingRequestLifetime(),
                                config.cookieSecure()))
                        .header("Cache-Control", "no-store").build())
                .onFailure(SamlRejectedException.class)
                .recoverWithItem(failure -> refusal(((SamlRejectedException) failure).reason()))
                .onFailure(KnownOrganizations.Misdirected.class)
                .recoverWithItem(failure -> homeRegionSignIn((KnownOrganizations.Misdirected) failure, slug, returnTo));
    }

    /** A browser cannot act on a 421: an organization of another region signs in there. */
    private static Response homeRegionSignIn(KnownOrganizations.Misdirected misdirected, String slug, String returnTo) {
        String home = misdirected.homeUrl().orElseThrow(() -> misdirected);
        String query = returnTo == null ? "" : "?returnTo=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
        return Response.seeOther(URI.create(home + "/saml/" + slug + "/login" + query))
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("acs")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Assertion Consumer Service (HTTP-POST binding), IdP- and SP-initiated")
    public Uni<Response> acs(@PathParam("slug") String slug, String form,
            @CookieParam(BrowserBinding.COOKIE) String browser, HttpServerRequest request) {
        if (!capacity.tryEnter()) {
            return Uni.createFrom().item(busy());
        }
        return Uni.createFrom().deferred(() -> accept(slug, form, browser, request))
                // the database refused to wait longer: nothing of the sign-in was written, the browser may post again
                .onFailure(PoolOverload::is).recoverWithItem(this::busy)
                .eventually(capacity::leave);
    }

    private Response busy() {
        return refusalBuilder(Rejection.BUSY).header("Retry-After", "1").build();
    }

    private Uni<Response> accept(String slug, String form, String browser, HttpServerRequest request) {
        String client = client(request);
        AcsForm fields;
        try {
            fields = AcsForm.parse(form);
        } catch (SamlRejectedException e) {
            return signIn.refuse(slug, e.reason(), e.getMessage(), client).map(refused -> refusal(refused.reason()));
        }
        return signIn.consume(slug, fields.samlResponse(), fields.relayState(), browser, client).map(outcome -> {
            Response.ResponseBuilder answer = outcome instanceof SignIn.SignedIn in
                    // as given: JAX-RS would resolve a relative target against this service's own (internal) address
                    ? Response.status(Response.Status.SEE_OTHER).header("Location", in.location())
                            .cookie(cookie(in.session())).header("Cache-Control", "no-store")
                    : refusalBuilder(((SignIn.Refused) outcome).reason());
            // the IdP has answered: the browser binding has done its work, whatever the outcome
            return (browser == null ? answer : answer.cookie(BrowserBinding.cleared(slug, config.cookieSecure())))
                    .build();
        });
    }

    /**
     * The ACS speaks HTTP-POST only. A GET (the HTTP-Redirect binding: a deflated SAMLResponse or SAMLRequest in the
     * query) is refused without reading the query, so nothing is ever inflated (no compression bomb).
     */
    @GET
    @Path("acs")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Refused: the ACS accepts HTTP-POST only (its query is never read)")
    public Uni<Response> acsByRedirect(@PathParam("slug") String slug, HttpServerRequest request) {
        return signIn.refuse(slug, Rejection.BINDING_NOT_SUPPORTED, "GET", client(request))
                .map(refused -> refusal(refused.reason()));
    }

    /** A POST that is not a form (the HTTP-POST binding's only shape) is refused unread. */
    @POST
    @Path("acs")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Refused: the ACS accepts application/x-www-form-urlencoded only")
    public Uni<Response> acsNotAForm(@PathParam("slug") String slug, HttpServerRequest request) {
        return signIn.refuse(slug, Rejection.BINDING_NOT_SUPPORTED, "POST " + request.getHeader("Content-Type"),
                client(request)).map(refused -> refusal(refused.reason()));
    }

    private static String client(HttpServerRequest request) {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }

    private NewCookie cookie(Sessions.Issued session) {
        return new NewCookie.Builder(Sessions.COOKIE).value(session.token()).path("/").httpOnly(true)
                .secure(config.cookieSecure()).sameSite(NewCookie.SameSite.LAX)
                .maxAge((int) config.sessionLifetime().toSeconds()).build();
    }

    private static Response refusal(Rejection reason) {
        return refusalBuilder(reason).build();
    }

    private static Response.ResponseBuilder refusalBuilder(Rejection reason) {
        int status = switch (reason) {
            case USER_UNKNOWN, USER_INACTIVE -> 403;
            case NOT_CONFIGURED -> 404;
            case TOO_MANY_SIGN_INS -> 429;
            case BUSY -> 503;
            default -> 400;
        };
        Html.Page page = RefusalPage.render(reason);
        return Response.status(status).type(MediaType.TEXT_HTML).entity(page.html())
                .header("Content-Security-Policy", page.contentSecurityPolicy()).header("Cache-Control", "no-store");
    }
}
