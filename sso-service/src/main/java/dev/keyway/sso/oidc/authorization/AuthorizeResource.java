package dev.keyway.sso.oidc.authorization;

import java.net.URI;

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
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import dev.keyway.sso.config.SsoConfig;
import dev.keyway.sso.oidc.OidcConfig;
import dev.keyway.sso.oidc.OidcIssuer;
import dev.keyway.sso.oidc.OidcPages;
import dev.keyway.sso.session.Sessions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** The authorization endpoint, the return from the SAML sign-in, and IdP-initiated sign-in (JumpCloud's tile). */
@Path(OidcIssuer.PATH)
@Tag(name = "OpenID Connect")
@PermitAll
public class AuthorizeResource {

    private static final Logger LOG = Logger.getLogger(AuthorizeResource.class);

    /** Ties an authorization to the browser that started it (only its hash is stored). */
    static final String BROWSER_COOKIE = "keyway_oidc_browser";

    private final Authorizations authorizations;
    private final ThirdPartyLogins thirdParty;
    private final OidcIssuer issuer;
    private final OidcConfig config;
    private final SsoConfig sso;

    public AuthorizeResource(Authorizations authorizations, ThirdPartyLogins thirdParty, OidcIssuer issuer,
            OidcConfig config, SsoConfig sso) {
        this.authorizations = authorizations;
        this.thirdParty = thirdParty;
        this.issuer = issuer;
        this.config = config;
        this.sso = sso;
    }

    @GET
    @Path("authorize")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Authorization endpoint: code flow with PKCE (S256); the organization from org, login_hint "
            + "or the e-mail Keyway asks for; the user signs in at the organization's JumpCloud (SAML)")
    public Uni<Response> authorize(@RestQuery("client_id") String clientId,
            @RestQuery("redirect_uri") String redirectUri, @RestQuery("response_type") String responseType,
            @RestQuery String scope, @RestQuery String state, @RestQuery String nonce,
            @RestQuery("code_challenge") String codeChallenge,
            @RestQuery("code_challenge_method") String codeChallengeMethod, @RestQuery String org,
            @RestQuery("login_hint") String loginHint, @RestQuery String prompt, @RestQuery String request,
            @RestQuery("request_uri") String requestUri, @CookieParam(BROWSER_COOKIE) String browser,
            @CookieParam(Sessions.COOKIE) String session, HttpServerRequest caller) {
        return authorize(new AuthorizeRequest(clientId, redirectUri, responseType, scope, state, nonce, codeChallenge,
                codeChallengeMethod, org, loginHint, prompt, request, requestUri), browser, session, caller);
    }

    @POST
    @Path("authorize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Authorization endpoint, parameters as a form (OpenID Connect Core 3.1.2.1)")
    public Uni<Response> authorizeByPost(@RestForm("client_id") String clientId,
            @RestForm("redirect_uri") String redirectUri, @RestForm("response_type") String responseType,
            @RestForm String scope, @RestForm String state, @RestForm String nonce,
            @RestForm("code_challenge") String codeChallenge,
            @RestForm("code_challenge_method") String codeChallengeMethod, @RestForm String org,
            @RestForm("login_hint") String loginHint, @RestForm String prompt, @RestForm String request,
            @RestForm("request_uri") String requestUri, @CookieParam(BROWSER_COOKIE) String browser,
            @CookieParam(Sessions.COOKIE) String session, HttpServerRequest caller) {
        return authorize(new AuthorizeRequest(clientId, redirectUri, responseType, scope, state, nonce, codeChallenge,
                codeChallengeMethod, org, loginHint, prompt, request, requestUri), browser, session, caller);
    }

    private Uni<Response> authorize(AuthorizeRequest request, String browser, String session,
            HttpServerRequest caller) {
        String address = caller.remoteAddress() == null ? null : caller.remoteAddress().hostAddress();
        return authorizations.authorize(request, browser, session, address).map(step -> {
            if (step instanceof Authorizations.Redirect redirect) {
                return redirect(redirect.location()).build();
            }
            if (step instanceof Authorizations.AskEmail ask) {
                return OidcPages.askEmail(issuer.endpoint("/authorize"), ask.request().withLoginHint(null).parameters(),
                        request.loginHint() == null ? null
                                : "No organization signs in that address with Keyway. Check it, or ask your "
                                        + "administrator.");
            }
            Authorizations.SignIn signIn = (Authorizations.SignIn) step;
            return redirect(signIn.location())
                    .cookie(new NewCookie.Builder(BROWSER_COOKIE).value(signIn.browser()).path(OidcIssuer.PATH)
                            .httpOnly(true).secure(sso.cookieSecure()).sameSite(NewCookie.SameSite.LAX)
                            .maxAge((int) config.authorizationLifetime().toSeconds()).build())
                    .build();
        }).onFailure(AuthorizeFailure.class).recoverWithItem(failure -> refused((AuthorizeFailure) failure));
    }

    @GET
    @Path("resume/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Where the SAML sign-in returns: the authorization it completes sends the browser back to "
            + "the app with a code, state and iss (RFC 9207)")
    public Uni<Response> resume(@PathParam("id") String id, @CookieParam(BROWSER_COOKIE) String browser,
            @CookieParam(Sessions.COOKIE) String session) {
        return authorizations.resume(id, browser, session).map(redirect -> redirect(redirect.location()).build())
                .onFailure(AuthorizeFailure.class).recoverWithItem(failure -> refused((AuthorizeFailure) failure));
    }

    @GET
    @Path("initiate/{clientId}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "IdP-initiated sign-in (the RelayState of JumpCloud's tile): sends the browser to the app's "
            + "initiate_login_uri so the app starts an authorization of its own; never issues a code")
    public Uni<Response> initiate(@PathParam("clientId") String clientId,
            @RestQuery("target_link_uri") String targetLinkUri, @CookieParam(Sessions.COOKIE) String session) {
        return thirdParty.initiate(clientId, targetLinkUri, session).map(location -> redirect(location).build())
                .onFailure(AuthorizeFailure.class).recoverWithItem(failure -> refused((AuthorizeFailure) failure));
    }

    private Response refused(AuthorizeFailure failure) {
        if (failure instanceof AuthorizeFailure.ToClient toClient) {
            LOG.debugf("Authorization refused (%s): %s", toClient.error(), toClient.getMessage());
            return redirect(Authorizations.withParameters(toClient.redirectUri(), "error", toClient.error(),
                    "error_description", toClient.getMessage(), "state", toClient.state(), "iss", issuer.url()))
                    .build();
        }
        LOG.debugf("Authorization refused: %s", failure.getMessage());
        return OidcPages.message(400, "Sign-in stopped", failure.getMessage());
    }

    /** As given: JAX-RS would resolve a relative target against this service's own (internal) address. */
    private static Response.ResponseBuilder redirect(String location) {
        return Response.status(Response.Status.SEE_OTHER).header("Location", URI.create(location).toString())
                .header("Cache-Control", "no-store");
    }
}
