package dev.keyway.sso.oidc.logout;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import dev.keyway.common.auth.KeywayClaims;
import dev.keyway.sso.config.SsoConfig;
import dev.keyway.sso.oidc.OidcIssuer;
import dev.keyway.sso.oidc.OidcPages;
import dev.keyway.sso.oidc.authorization.Authorizations;
import dev.keyway.sso.oidc.client.ClientRepository;
import dev.keyway.sso.session.Sessions;
import io.smallrye.mutiny.Uni;

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends this browser's Keyway session, tells every app
 * that shared it (back-channel logout), and returns to the app's registered {@code post_logout_redirect_uri}. Without
 * an {@code id_token_hint} of this browser's own session the user is asked first. JumpCloud has no SAML logout, so
 * the user stays signed in there.
 */
@Path(OidcIssuer.PATH + "/logout")
@Tag(name = "OpenID Connect")
@PermitAll
public class EndSessionResource {

    private final IdTokenHints hints;
    private final ClientRepository clients;
    private final Sessions sessions;
    private final LogoutDeliveryRepository deliveries;
    private final LogoutDelivery delivery;
    private final SsoConfig config;
    private final OidcIssuer issuer;

    public EndSessionResource(IdTokenHints hints, ClientRepository clients, Sessions sessions,
            LogoutDeliveryRepository deliveries, LogoutDelivery delivery, SsoConfig config, OidcIssuer issuer) {
        this.hints = hints;
        this.clients = clients;
        this.sessions = sessions;
        this.deliveries = deliveries;
        this.delivery = delivery;
        this.config = config;
        this.issuer = issuer;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "End session endpoint: signs the browser out of Keyway and every app of its session")
    public Uni<Response> logout(@RestQuery("id_token_hint") String idTokenHint,
            @RestQuery("post_logout_redirect_uri") String postLogoutRedirectUri, @RestQuery String state,
            @RestQuery("client_id") String clientId, @CookieParam(Sessions.COOKIE) String cookie) {
        return endSession(idTokenHint, postLogoutRedirectUri, state, clientId, false, cookie);
    }

    /**
     * The same by form post (RP-Initiated Logout §2), and the user's answer to the confirmation page: a yes counts
     * only from Keyway's own page ({@code Sec-Fetch-Site}, where the browser sends it, says so; a sibling subdomain
     * is the same site, so SameSite alone would let it post).
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "End session endpoint, by form post; confirm=yes answers the confirmation page")
    public Uni<Response> logoutByForm(@RestForm("id_token_hint") String idTokenHint,
            @RestForm("post_logout_redirect_uri") String postLogoutRedirectUri, @RestForm String state,
            @RestForm("client_id") String clientId, @RestForm String confirm,
            @CookieParam(Sessions.COOKIE) String cookie, @HeaderParam("Sec-Fetch-Site") String fetchSite) {
        boolean confirmed = "yes".equals(confirm) && (fetchSite == null || "same-origin".equals(fetchSite));
        return endSession(idTokenHint, postLogoutRedirectUri, state, clientId, confirmed, cookie);
    }

    private Uni<Response> endSession(String idTokenHint, String postLogoutRedirectUri, String state, String clientId,
            boolean confirmed, String cookie) {
        return hints.read(idTokenHint).chain(hint -> browserSession(cookie).chain(browser -> {
            Optional<UUID> hinted = hint.map(IdTokenHints.Hint::sessionId).flatMap(EndSessionResource::uuid);
            // Any page could send the browser here, with any ID token of ours: this browser's session ends on an ID
            // token of that very session, or on the user's own yes. The yes posts back from our page; the session
            // cookie (SameSite=Lax) never comes along with a post from another site.
            if (browser.isPresent() && !browser.equals(hinted) && !confirmed) {
                Map<String, String> request = new LinkedHashMap<>();
                request.put("post_logout_redirect_uri", postLogoutRedirectUri);
                request.put("state", state);
                request.put("client_id", clientId);
                request.values().removeIf(Objects::isNull);
                return Uni.createFrom().item(OidcPages.confirmLogout(issuer.endpoint("/logout"), request));
            }
            Optional<UUID> ending = browser.or(() -> hinted);
            return (ending.isEmpty() ? Uni.createFrom().voidItem() : end(ending.get()))
                    .chain(() -> returnTo(hint, clientId, postLogoutRedirectUri))
                    .map(target -> signedOut(target, state));
        }));
    }

    private Response signedOut(Optional<String> target, String state) {
        NewCookie cleared = new NewCookie.Builder(Sessions.COOKIE).value("").path("/").maxAge(0).httpOnly(true)
                .secure(config.cookieSecure()).sameSite(NewCookie.SameSite.LAX).build();
        if (target.isPresent()) {
            return Response.status(Response.Status.SEE_OTHER)
                    .header("Location", URI.create(Authorizations.withParameters(target.get(), "state", state))
                            .toString())
                    .header("Cache-Control", "no-store").cookie(cleared).build();
        }
        return Response.fromResponse(OidcPages.message(200, "Signed out",
                "You are signed out of the apps that use Keyway in this browser.")).cookie(cleared).build();
    }

    /** This browser's session, if its cookie holds a valid one. */
    private Uni<Optional<UUID>> browserSession(String cookie) {
        if (cookie == null || cookie.isBlank()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return sessions.verify(cookie)
                .map(jwt -> uuid(Authorizations.string(jwt.getClaim(KeywayClaims.SESSION_ID))))
                .onFailure(Sessions.Refused.class).recoverWithItem(Optional.empty());
    }

    private Uni<Void> end(UUID sessionId) {
        return deliveries.recordForSession(sessionId).invoke(recorded -> {
            if (recorded > 0) {
                delivery.expectDue();
            }
        }).chain(() -> sessions.revoke(sessionId)).invoke(delivery::wakeIfDue);
    }

    /** Only a URI the app registered, compared exactly; the app from the hint, else from client_id. */
    private Uni<Optional<String>> returnTo(Optional<IdTokenHints.Hint> hint, String clientId, String uri) {
        String client = hint.map(IdTokenHints.Hint::clientId).orElse(clientId);
        if (uri == null || client == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return clients.find(client).map(found -> found
                .filter(registered -> registered.postLogoutRedirectUris().contains(uri)).map(registered -> uri));
    }

    private static Optional<UUID> uuid(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
