package dev.keyway.sso.oidc.authorization;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.auth.KeywayClaims;
import dev.keyway.sso.oidc.OidcIssuer;
import dev.keyway.sso.oidc.client.ClientRepository;
import dev.keyway.sso.session.Sessions;
import io.smallrye.mutiny.Uni;

/**
 * IdP-initiated sign-in reaching an app safely (OpenID Connect Core 4, third-party initiated login). JumpCloud's
 * portal tile posts an unsolicited response to the ACS; its RelayState {@code /oidc/initiate/{clientId}} brings the
 * browser here with a fresh Keyway session. No code is minted for a request nobody made: the app is asked, at its
 * registered {@code initiate_login_uri}, to start an authorization of its own (with PKCE, state and nonce), which
 * finds the organization from this browser's session and signs the user in at once.
 */
@ApplicationScoped
public class ThirdPartyLogins {

    private final ClientRepository clients;
    private final Sessions sessions;
    private final OidcIssuer issuer;

    public ThirdPartyLogins(ClientRepository clients, Sessions sessions, OidcIssuer issuer) {
        this.clients = clients;
        this.sessions = sessions;
        this.issuer = issuer;
    }

    public Uni<String> initiate(String clientId, String targetLinkUri, String sessionToken) {
        return clients.find(clientId).chain(found -> {
            var client = found.filter(registered -> registered.initiateLoginUri() != null)
                    .orElseThrow(() -> new AuthorizeFailure.OnPage("The app of this tile is not registered with "
                            + "Keyway for sign-in from the portal."));
            if (sessionToken == null) {
                throw new AuthorizeFailure.OnPage("Sign in from the portal again.");
            }
            return sessions.verify(sessionToken)
                    .onFailure(Sessions.Refused.class).transform(refused -> new AuthorizeFailure.OnPage(
                            "Sign in from the portal again."))
                    .map(session -> {
                        String slug = Authorizations.string(session.getClaim(KeywayClaims.ORG_SLUG));
                        if (!client.allows(slug)) {
                            throw new AuthorizeFailure.OnPage("The app is not enabled for your organization.");
                        }
                        return Authorizations.withParameters(client.initiateLoginUri(), "iss", issuer.url(),
                                "login_hint", Authorizations.string(session.getClaim(KeywayClaims.EMAIL)),
                                "target_link_uri", targetLinkUri);
                    });
        });
    }
}
