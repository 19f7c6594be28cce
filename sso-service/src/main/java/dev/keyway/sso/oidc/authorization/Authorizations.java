package dev.keyway.sso.oidc.authorization;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.keyway.common.auth.KeywayClaims;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.runtime.deployment.Deployment;
import dev.keyway.runtime.organization.KnownOrganization;
import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.sso.config.SsoConfig;
import dev.keyway.sso.eligibility.LoginDiscovery;
import dev.keyway.sso.oidc.OidcConfig;
import dev.keyway.sso.oidc.OidcIssuer;
import dev.keyway.sso.oidc.client.ClientRepository;
import dev.keyway.sso.oidc.client.ClientSecrets;
import dev.keyway.sso.oidc.client.OidcClient;
import dev.keyway.sso.organization.OrganizationRepository;
import dev.keyway.sso.saml.SignInLimits;
import dev.keyway.sso.session.Sessions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The authorization endpoint's rules (OpenID Connect Core 3.1.2, PKCE S256 required, RFC 9207 {@code iss}).
 * <p>
 * A request is checked (client, exact redirect URI, response type, scope, PKCE), its organization chosen ({@code org},
 * else the verified domain of a {@code login_hint} e-mail, else the organization of this browser's Keyway session,
 * else Keyway asks for the e-mail), and remembered, tied to the browser by a cookie; the browser goes to the
 * organization's SAML sign-in, which returns to {@link #resume} once the ACS has validated JumpCloud's response and
 * opened a Keyway session. Only then, and only in that browser, is a code issued.
 */
@ApplicationScoped
public class Authorizations {

    /** A code challenge is BASE64URL(SHA-256(verifier)): 43 characters. */
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int MAX_PARAMETER = 512;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the browser is told to do next. */
    public sealed interface Step permits Redirect, AskEmail, SignIn {
    }

    /** Go there (a code or an error for the app, or the home region). */
    public record Redirect(String location) implements Step {
    }

    /** Keyway needs the user's e-mail to find the organization; {@code problem} says why it asks again. */
    public record AskEmail(AuthorizeRequest request, String problem) implements Step {
    }

    /** Sign in at the organization's IdP; the browser keeps {@code browser} in a cookie until it comes back. */
    public record SignIn(String location, String browser) implements Step {
    }

    private final ClientRepository clients;
    private final AuthorizationRepository repository;
    private final KnownOrganizations organizations;
    private final OrganizationRepository registry;
    private final Pool pool;
    private final LoginDiscovery discovery;
    private final Sessions sessions;
    private final OidcIssuer issuer;
    private final OidcConfig config;
    private final Deployment deployment;
    private final SsoConfig sso;
    private final SignInLimits limits;

    public Authorizations(ClientRepository clients, AuthorizationRepository repository,
            KnownOrganizations organizations, OrganizationRepository registry, Pool pool, LoginDiscovery discovery,
            Sessions sessions, OidcIssuer issuer,
            OidcConfig config, Deployment deployment, SsoConfig sso, SignInLimits limits) {
        this.clients = clients;
        this.repository = repository;
        this.organizations = organizations;
        this.registry = registry;
        this.pool = pool;
        this.discovery = discovery;
        this.sessions = sessions;
        this.issuer = issuer;
        this.config = config;
        this.deployment = deployment;
        this.sso = sso;
        this.limits = limits;
    }

    /** {@code caller} is the caller's address: starting a sign-in is anonymous, so it is bounded as SAML's is. */
    public Uni<Step> authorize(AuthorizeRequest request, String browser, String sessionToken, String caller) {
        if (blank(request.clientId())) {
            return Uni.createFrom().failure(new AuthorizeFailure.OnPage("The app sent no client_id."));
        }
        return clients.find(request.clientId()).chain(found -> {
            OidcClient client = found.orElseThrow(
                    () -> new AuthorizeFailure.OnPage("The app is not registered with Keyway (unknown client_id)."));
            if (!client.registered(request.redirectUri())) {
                throw new AuthorizeFailure.OnPage("The app asked to return to an address it has not registered "
                        + "(redirect_uri).");
            }
            check(request);
            return organization(request, sessionToken).chain(org -> org.isEmpty()
                    ? Uni.createFrom().item((Step) new AskEmail(request, null))
                    : start(client, request, org.get(), browser, caller));
        });
    }

    /** The checks whose failure the app is told of, in the order OpenID Connect lists the parameters. */
    private void check(AuthorizeRequest request) {
        if (request.request() != null || request.requestUri() != null) {
            throw toClient(request, "request_not_supported", "Request objects are not supported.");
        }
        if (!"code".equals(request.responseType())) {
            throw toClient(request, "unsupported_response_type", "Only response_type=code is supported.");
        }
        if (request.scope() == null || !Arrays.asList(request.scope().split(" ")).contains("openid")) {
            throw toClient(request, "invalid_scope", "The scope must include openid.");
        }
        if (request.codeChallenge() == null) {
            throw toClient(request, "invalid_request", "PKCE is required: send code_challenge (S256).");
        }
        if (!"S256".equals(request.codeChallengeMethod())) {
            throw toClient(request, "invalid_request", "code_challenge_method must be S256.");
        }
        if (!S256_CHALLENGE.matcher(request.codeChallenge()).matches()) {
            throw toClient(request, "invalid_request", "code_challenge is not a BASE64URL SHA-256 value.");
        }
        for (String value : new String[]{ request.state(), request.nonce(), request.loginHint(), request.org() }) {
            if (value != null && value.length() > MAX_PARAMETER) {
                throw toClient(request, "invalid_request", "A parameter is longer than " + MAX_PARAMETER + ".");
            }
        }
        if (request.prompt() != null && Arrays.asList(request.prompt().split(" ")).contains("none")) {
            // every sign-in goes through the organization's IdP, which may show a page
            throw toClient(request, "login_required", "Keyway cannot sign in without showing the IdP.");
        }
    }

    /** The organization named, found by the e-mail's verified domain, or of this browser's Keyway session. */
    private Uni<Optional<KnownOrganization>> organization(AuthorizeRequest request, String sessionToken) {
        if (!blank(request.org())) {
            return known(request.org().trim().toLowerCase(Locale.ROOT)).map(org -> Optional.of(org.orElseThrow(
                    () -> toClient(request, "invalid_request", "No organization '" + request.org() + "'."))));
        }
        if (!blank(request.loginHint()) && request.loginHint().indexOf('@') > 0) {
            String address = request.loginHint().trim().toLowerCase(Locale.ROOT);
            return discovery.organizationsFor(address).chain(found -> found.isEmpty()
                    ? Uni.createFrom().item(Optional.<KnownOrganization>empty())
                    : known(found.get(0).slug()));
        }
        if (sessionToken == null || sessionToken.isBlank()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return sessions.verify(sessionToken).chain(jwt -> known(string(jwt.getClaim(KeywayClaims.ORG_SLUG))))
                .onFailure(Sessions.Refused.class).recoverWithItem(Optional.empty());
    }

    /** Registered here (this region's registry, current at once), else known from another region's announcements. */
    private Uni<Optional<KnownOrganization>> known(String slug) {
        try {
            OrgSlug.of(slug);
        } catch (IllegalArgumentException | NullPointerException notASlug) {
            return Uni.createFrom().item(Optional.empty());
        }
        return registry.bySlug(pool, slug).chain(here -> here.isPresent()
                ? Uni.createFrom().item(here.map(org -> new KnownOrganization(org.id().value(), org.slug().value(),
                        org.displayName(), org.region().code(), org.createdAt())))
                : organizations.bySlug(slug));
    }

    private Uni<Step> start(OidcClient client, AuthorizeRequest request, KnownOrganization org, String browser,
            String caller) {
        if (!client.allows(org.slug())) {
            throw toClient(request, "access_denied",
                    "The app is not enabled for organization '" + org.slug() + "'.");
        }
        if (org.homeRegion() != deployment.region()) {
            String home = issuer.of(org.homeRegion());
            if (home == null) {
                throw toClient(request, "invalid_request", "Organization '" + org.slug() + "' is homed in region '"
                        + org.homeRegion().code() + "'.");
            }
            // as SAML does: the browser goes to the home region, which answers with its own issuer
            return Uni.createFrom().item(new Redirect(home + "/authorize?" + request.withOrg(org.slug()).query()));
        }
        if (!limits.tryStart(org.id(), caller)) {
            throw toClient(request, "temporarily_unavailable", "Too many sign-ins were started; try again shortly.");
        }
        String id = random();
        String value = browser != null && browser.length() == 43 ? browser : random();
        Instant now = Instant.now();
        AuthorizationRepository.Pending pending = new AuthorizationRepository.Pending(id, client.clientId(), org.id(),
                request.redirectUri(), request.scope(), request.state(), request.nonce(), request.codeChallenge(),
                ClientSecrets.hash(value), now);
        return repository.save(pending, now.plus(config.authorizationLifetime()),
                sso.loginLimits().maxPendingPerOrganization())
                .map(saved -> {
                    if (!saved) {
                        throw toClient(request, "temporarily_unavailable", "Too many sign-ins are under way for "
                                + "this organization; try again shortly.");
                    }
                    return (Step) new SignIn("/saml/" + org.slug() + "/login?returnTo="
                            + URLEncoder.encode(OidcIssuer.PATH + "/resume/" + id, StandardCharsets.UTF_8), value);
                });
    }

    /**
     * Back from the SAML sign-in: the authorization this browser started, and the Keyway session the ACS opened for
     * it (in the same organization, no older than the authorization), become a code for the app.
     */
    public Uni<Redirect> resume(String id, String browser, String sessionToken) {
        return repository.take(id).chain(found -> {
            AuthorizationRepository.Pending pending = found.orElseThrow(() -> new AuthorizeFailure.OnPage(
                    "This sign-in has expired or is complete already. Start again from the app."));
            if (browser == null || !ClientSecrets.matches(pending.browserHash(), browser)) {
                throw new AuthorizeFailure.OnPage("This sign-in was started in another browser. Start again from "
                        + "the app.");
            }
            if (sessionToken == null) {
                throw new AuthorizeFailure.OnPage("The sign-in did not complete. Start again from the app.");
            }
            return sessions.verify(sessionToken)
                    .onFailure(Sessions.Refused.class).transform(refused -> new AuthorizeFailure.OnPage(
                            "The sign-in did not complete. Start again from the app."))
                    .chain(session -> issueCode(pending, session));
        });
    }

    private Uni<Redirect> issueCode(AuthorizationRepository.Pending pending, JsonWebToken session) {
        Instant signedInAt = Instant.ofEpochSecond(session.getIssuedAtTime());
        if (!pending.orgId().toString().equals(string(session.getClaim(KeywayClaims.ORG_ID)))
                // whole seconds in the JWT: a session opened in the same second counts
                || signedInAt.plusSeconds(1).isBefore(pending.createdAt())) {
            throw new AuthorizeFailure.OnPage("The sign-in did not complete. Start again from the app.");
        }
        String code = random();
        Map<String, Object> claims = new LinkedHashMap<>();
        for (String name : List.of(KeywayClaims.ORG_ID, KeywayClaims.ORG_SLUG, KeywayClaims.REGION,
                KeywayClaims.EMAIL, KeywayClaims.GIVEN_NAME, KeywayClaims.FAMILY_NAME, Sessions.ACR)) {
            String value = string(session.getClaim(name));
            if (value != null && !value.isEmpty()) {
                claims.put(name, value);
            }
        }
        Object groups = session.getClaim(KeywayClaims.DIRECTORY_GROUPS);
        claims.put(KeywayClaims.DIRECTORY_GROUPS, groups instanceof JsonArray array
                ? array.stream().map(Authorizations::string).toList()
                : List.of());
        AuthorizationRepository.Code issued = new AuthorizationRepository.Code(pending.clientId(), pending.orgId(),
                UUID.fromString(session.getSubject()),
                UUID.fromString(string(session.getClaim(KeywayClaims.SESSION_ID))),
                pending.redirectUri(), pending.scope(), pending.nonce(), pending.codeChallenge(),
                new JsonObject(claims), signedInAt,
                Instant.now().plus(config.codeLifetime()), true, null);
        return repository.saveCode(ClientSecrets.hash(code), issued)
                .replaceWith(new Redirect(withParameters(pending.redirectUri(), "code", code, "state",
                        pending.state(), "iss", issuer.url())));
    }

    private AuthorizeFailure.ToClient toClient(AuthorizeRequest request, String error, String description) {
        return new AuthorizeFailure.ToClient(request.redirectUri(), error, description, request.state());
    }

    /** The redirect URI with parameters added to its query (null values left out). */
    public static String withParameters(String uri, String... namesAndValues) {
        StringBuilder location = new StringBuilder(uri);
        char separator = uri.contains("?") ? '&' : '?';
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                location.append(separator).append(namesAndValues[i]).append('=')
                        .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return location.toString();
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A session claim as text, whether the JWT library hands it over as a String or a JSON value. */
    public static String string(Object claim) {
        if (claim instanceof JsonString text) {
            return text.getString();
        }
        return claim == null ? null : claim.toString();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
