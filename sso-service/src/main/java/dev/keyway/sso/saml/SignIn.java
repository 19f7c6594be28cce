package dev.keyway.sso.saml;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.opensaml.security.credential.Credential;
import org.opensaml.security.x509.BasicX509Credential;
import org.w3c.dom.Document;

import dev.keyway.sso.config.SsoConfig;
import dev.keyway.sso.connection.SamlConnection;
import dev.keyway.sso.connection.SamlConnections;
import dev.keyway.sso.connection.SamlSettings;
import dev.keyway.sso.connection.SpEndpoints;
import dev.keyway.sso.eligibility.LoginDirectory;
import dev.keyway.sso.eligibility.LoginDirectory.LoginUser;
import dev.keyway.sso.session.Sessions;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A sign-in from start to session. SP-initiated: an AuthnRequest is remembered and sent. At the ACS: the response
 * is validated (on a worker thread: parsing and signature checks are CPU work), its assertion id recorded against
 * replay and the pending request used up in one transaction, the subject found in the login directory (active
 * users only), a session opened, and every outcome audited.
 */
@ApplicationScoped
public class SignIn {

    /** What the browser gets: a 303 with the session cookie, or a refusal. */
    public sealed interface Outcome permits SignedIn, Refused {
    }

    public record SignedIn(String location, Sessions.Issued session) implements Outcome {
    }

    /** A refusal as the browser may see it: {@link Rejection#outward()} (the precise reason is in the login audit). */
    public record Refused(Rejection reason) implements Outcome {

        static Refused of(SamlRejectedException rejection) {
            return new Refused(rejection.reason().outward());
        }
    }

    private final SamlConnections connections;
    private final SpEndpoints endpoints;
    private final PendingRequests pending;
    private final ReplayCache replays;
    private final LoginDirectory directory;
    private final Sessions sessions;
    private final LoginAudit audit;
    private final SsoConfig config;
    private final Pool pool;
    private final SignInLimits limits;
    private final SamlResponseValidator validator = new SamlResponseValidator();

    public SignIn(SamlConnections connections, SpEndpoints endpoints, PendingRequests pending, ReplayCache replays,
            LoginDirectory directory, Sessions sessions, LoginAudit audit, SsoConfig config, Pool pool,
            SignInLimits limits) {
        this.connections = connections;
        this.endpoints = endpoints;
        this.pending = pending;
        this.replays = replays;
        this.directory = directory;
        this.sessions = sessions;
        this.audit = audit;
        this.config = config;
        this.pool = pool;
        this.limits = limits;
    }

    /**
     * SP-initiated: an AuthnRequest for the organization's IdP, remembering where the user wants to land and (by the
     * hash of its cookie value) which browser asked. Anonymous, so bounded: per client, per organization, and in
     * how many requests an organization may have pending.
     */
    public Uni<AuthnRequests.Outgoing> start(String slug, String returnTo, String browser, String client) {
        return connections.load(slug).chain(connection -> {
            if (!connection.spInitiated()) {
                // no IdP, or one given without its SSO URL: sign-in starts from the IdP's portal only
                throw new SamlRejectedException(Rejection.NOT_CONFIGURED, slug);
            }
            if (!limits.tryStart(connection.orgId(), client)) {
                throw new SamlRejectedException(Rejection.TOO_MANY_SIGN_INS, client);
            }
            // signing opens the SP key and runs RSA: CPU work for a worker, not the event loop
            return Uni.createFrom().item(() -> AuthnRequests.create(connection, endpoints, null))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .chain(outgoing -> {
                        String landing = RedirectTargets.allowed(returnTo,
                                connection.settings().allowedRelayStateHosts());
                        return pending.save(outgoing.requestId(), connection.orgId(), landing,
                                BrowserBinding.hash(browser), Instant.now().plus(config.pendingRequestLifetime()),
                                config.loginLimits().maxPendingPerOrganization())
                                .map(saved -> {
                                    if (!saved) {
                                        throw new SamlRejectedException(Rejection.TOO_MANY_SIGN_INS,
                                                "pending requests at the cap");
                                    }
                                    return outgoing;
                                });
                    });
        });
    }

    /** The ACS: one SAMLResponse form value (and RelayState) in, a session or a refusal out. */
    public Uni<Outcome> consume(String slug, String samlResponse, String relayState, String browser, String client) {
        return connections.load(slug)
                .chain(connection -> Uni.createFrom().deferred(() -> consume(connection, samlResponse, relayState,
                        browser, client))
                        .onFailure(SamlRejectedException.class).recoverWithUni(failure -> {
                            SamlRejectedException rejection = (SamlRejectedException) failure;
                            return audit.refused(connection.orgId(), slug, null, rejection, client)
                                    .replaceWith(Refused.of(rejection));
                        }));
    }

    /** A request the ACS refuses without reading it (a binding it does not accept), audited like any refusal. */
    public Uni<Refused> refuse(String slug, Rejection reason, String detail, String client) {
        SamlRejectedException rejection = new SamlRejectedException(reason, detail);
        return connections.load(slug)
                .chain(connection -> audit.refused(connection.orgId(), slug, null, rejection, client))
                .replaceWith(Refused.of(rejection));
    }

    private Uni<Outcome> consume(SamlConnection connection, String samlResponse, String relayState, String browser,
            String client) {
        if (!connection.configured()) {
            throw new SamlRejectedException(Rejection.NOT_CONFIGURED, connection.slug());
        }
        byte[] xml = decode(samlResponse);
        return Uni.createFrom().item(() -> SamlResponseValidator.parse(xml))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                // the wrapper's InResponseTo only finds a candidate; the validator decides on the signed value
                .chain(document -> pending
                        .find(connection.orgId(), SamlResponseValidator.candidateInResponseTo(document))
                        .chain(candidate -> Uni.createFrom().item(() -> validate(document, connection, candidate))
                                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                                .invoke(login -> requireSameBrowser(login, candidate, browser))
                                .chain(login -> signIn(connection, login, answered(login, candidate), relayState,
                                        client))));
    }

    /** The pending request the signed response answers: the candidate, only if the signed InResponseTo names it. */
    private static Optional<PendingRequests.Pending> answered(SamlResponseValidator.Validated login,
            Optional<PendingRequests.Pending> candidate) {
        return candidate.filter(request -> request.id().equals(login.inResponseTo()));
    }

    /** A solicited response counts only in the browser that sent the request (else: login CSRF). */
    private static void requireSameBrowser(SamlResponseValidator.Validated login,
            Optional<PendingRequests.Pending> request, String browser) {
        request.filter(pending -> pending.id().equals(login.inResponseTo())).ifPresent(pending -> {
            if (!pending.startedBy(browser)) {
                throw new SamlRejectedException(Rejection.BROWSER_MISMATCH, "request " + pending.id());
            }
        });
    }

    private SamlResponseValidator.Validated validate(Document document, SamlConnection connection,
            Optional<PendingRequests.Pending> request) {
        SamlSettings settings = connection.settings();
        List<Credential> decryptionKeys = connection.decryptionKeys().stream()
                .<Credential>map(key -> new BasicX509Credential(key.certificate(), key.privateKey())).toList();
        return validator.validate(document, new SamlResponseValidator.Expectations(connection.idpEntityId(),
                connection.idpX509Certificates(), endpoints.entityId(connection.slug()),
                endpoints.acs(connection.slug()),
                settings.signaturePolicy(), Set.copyOf(settings.signatureAlgorithms()),
                Duration.ofSeconds(settings.clockSkewSeconds()), settings.allowIdpInitiated(),
                request.map(PendingRequests.Pending::id).orElse(null), decryptionKeys), Instant.now());
    }

    private Uni<Outcome> signIn(SamlConnection connection, SamlResponseValidator.Validated login,
            Optional<PendingRequests.Pending> request, String relayState, String client) {
        SamlSettings settings = connection.settings();
        String email = first(login.attribute(settings.emailAttribute() == null ? "" : settings.emailAttribute()))
                .orElse(login.nameId());
        return pool.withTransaction(transaction -> replays
                .firstUse(transaction, connection.orgId(), login.assertionId(), login.keepUntil())
                .chain(first -> {
                    if (!first) {
                        throw new SamlRejectedException(Rejection.REPLAYED, login.assertionId());
                    }
                    return login.inResponseTo() == null ? Uni.createFrom().item(true)
                            : pending.take(transaction, connection.orgId(), login.inResponseTo());
                })
                .invoke(taken -> {
                    if (!taken) {
                        throw new SamlRejectedException(Rejection.UNKNOWN_IN_RESPONSE_TO, login.inResponseTo());
                    }
                }))
                .chain(() -> user(connection, email, login))
                .chain(user -> directory.groupNames(user).chain(groups -> {
                    List<String> all = new ArrayList<>(groups);
                    if (settings.groupsAttribute() != null) {
                        all.addAll(login.attribute(settings.groupsAttribute()));
                    }
                    return sessions.open(new Sessions.Subject(user.id(), connection.orgId(), connection.slug(),
                            connection.region().code(), user.email() != null ? user.email() : email,
                            user.givenName() != null ? user.givenName()
                                    : attribute(login, settings.firstNameAttributes()),
                            user.familyName() != null ? user.familyName()
                                    : attribute(login, settings.lastNameAttributes()),
                            List.copyOf(new LinkedHashSet<>(all)), login.authnContextClassRef()));
                }).chain(session -> audit.succeeded(connection.orgId(), connection.slug(), email, user.id(),
                        login.assertionId(), client).replaceWith(
                                (Outcome) new SignedIn(landing(connection, request,
                                        relayState), session))))
                .onFailure(SamlRejectedException.class).recoverWithUni(failure -> audit.refused(connection.orgId(),
                        connection.slug(), email, (SamlRejectedException) failure, client)
                        .replaceWith(Refused.of((SamlRejectedException) failure)));
    }

    /** The active user the assertion names; a new just-in-time user where the organization allows it. */
    private Uni<LoginUser> user(SamlConnection connection, String email, SamlResponseValidator.Validated login) {
        return directory.find(connection.orgId(), email).chain(user -> {
            if (user == null) {
                if (!connection.settings().jitProvisioning()) {
                    throw new SamlRejectedException(Rejection.USER_UNKNOWN, email);
                }
                return directory.addJustInTime(connection.orgId(), email,
                        attribute(login, connection.settings().firstNameAttributes()),
                        attribute(login, connection.settings().lastNameAttributes()))
                        .invoke(added -> { // provisioned meanwhile: the directory's state decides
                            if (!added.active()) {
                                throw new SamlRejectedException(Rejection.USER_INACTIVE, email);
                            }
                        });
            }
            if (!user.active()) {
                throw new SamlRejectedException(Rejection.USER_INACTIVE, email);
            }
            return Uni.createFrom().item(user);
        });
    }

    /**
     * Where to send the signed-in user: what they asked for (if allowed), else the organization's landing page. Only
     * plain targets ever reach the Location header (see {@link RedirectTargets}).
     */
    private String landing(SamlConnection connection, Optional<PendingRequests.Pending> request, String relayState) {
        String asked = request.map(PendingRequests.Pending::returnTo)
                .orElseGet(() -> RedirectTargets.allowed(relayState, connection.settings().allowedRelayStateHosts()));
        if (asked != null) {
            return asked;
        }
        String fallback = RedirectTargets.plain(connection.settings().defaultLandingUrl());
        return fallback != null ? fallback : "/";
    }

    private static byte[] decode(String samlResponse) {
        if (samlResponse == null || samlResponse.isBlank()) {
            throw new SamlRejectedException(Rejection.MALFORMED, "no SAMLResponse");
        }
        if (samlResponse.length() > SamlResponseValidator.MAX_BYTES * 4 / 3 + 4) {
            throw new SamlRejectedException(Rejection.TOO_LARGE, samlResponse.length() + " base64 characters");
        }
        try {
            return Base64.getMimeDecoder().decode(samlResponse.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new SamlRejectedException(Rejection.MALFORMED, "SAMLResponse is not base64");
        }
    }

    private static Optional<String> first(List<String> values) {
        return values.stream().filter(value -> !value.isBlank()).findFirst();
    }

    private static String attribute(SamlResponseValidator.Validated login, List<String> names) {
        return names.stream().flatMap(name -> login.attribute(name).stream()).filter(value -> !value.isBlank())
                .findFirst().orElse(null);
    }
}
