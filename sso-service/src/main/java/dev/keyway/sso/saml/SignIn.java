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
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.opensaml.security.credential.Credential;
import org.opensaml.security.x509.BasicX509Credential;
import org.w3c.dom.Document;

import dev.keyway.sso.config.SsoConfig;
import dev.keyway.sso.connection.SamlConnection;
import dev.keyway.sso.connection.SamlConnections;
import dev.keyway.sso.connection.SamlSettings;
import dev.keyway.sso.connection.SpEndpoints;
import dev.keyway.sso.session.Sessions;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * A sign-in from start to session. SP-initiated: an AuthnRequest is remembered and sent. At the ACS: the response
 * is validated against the organization's cached set-up (on a worker thread: parsing and signature checks are CPU
 * work); then one statement confirms the set-up is current, records the assertion id against replay, uses up the
 * pending request, finds the subject in the login directory (active users only), opens the session row and audits
 * the outcome; then the session's JWT is signed. Every refusal is audited with its typed reason.
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
    private final SignInRepository records;
    private final Sessions sessions;
    private final LoginAudit audit;
    private final SsoConfig config;
    private final SignInLimits limits;
    private final SamlResponseValidator validator = new SamlResponseValidator();

    public SignIn(SamlConnections connections, SpEndpoints endpoints, PendingRequests pending,
            SignInRepository records, Sessions sessions, LoginAudit audit, SsoConfig config, SignInLimits limits) {
        this.connections = connections;
        this.endpoints = endpoints;
        this.pending = pending;
        this.records = records;
        this.sessions = sessions;
        this.audit = audit;
        this.config = config;
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

    /**
     * The ACS: one SAMLResponse form value (and RelayState) in, a session or a refusal out. The organization's set-up
     * comes from the cache without a query; the statement that records the outcome (or audits the refusal) confirms
     * it is still current, and if it is not, nothing was written and the response is judged again on the fresh one.
     */
    public Uni<Outcome> consume(String slug, String samlResponse, String relayState, String browser, String client) {
        return connections.cached(slug)
                .chain(connection -> attempt(connection, samlResponse, relayState, browser, client, STALE_RETRIES));
    }

    /** How often a sign-in starts again on a fresh set-up that changed while it ran, before it gives up (a 500). */
    private static final int STALE_RETRIES = 3;

    private Uni<Outcome> attempt(SamlConnection connection, String samlResponse, String relayState, String browser,
            String client, int retries) {
        return Uni.createFrom().deferred(() -> consume(connection, samlResponse, relayState, browser, client))
                .onFailure(SamlRejectedException.class)
                .recoverWithUni(failure -> refused(connection, (SamlRejectedException) failure, client))
                .onFailure(StaleSetup.class).recoverWithUni(stale -> retries == 0
                        ? Uni.createFrom().failure(new IllegalStateException(
                                "the SAML set-up of " + connection.slug() + " kept changing during a sign-in"))
                        : connections.load(connection.slug()).chain(fresh -> attempt(fresh, samlResponse,
                                relayState, browser, client, retries - 1)));
    }

    /** A refusal decided on this set-up, audited only if the set-up is still current ({@link StaleSetup} if not). */
    private Uni<Outcome> refused(SamlConnection connection, SamlRejectedException rejection, String client) {
        return audit.refusedIfCurrent(connection.orgId(), connection.version(), connection.slug(), null, rejection,
                client).map(current -> {
                    if (!current) {
                        throw new StaleSetup();
                    }
                    return Refused.of(rejection);
                });
    }

    /** The organization's SAML set-up changed since the cached copy a decision was made with. */
    private static final class StaleSetup extends RuntimeException {

        StaleSetup() {
            super(null, null, false, false);
        }
    }

    /** A request the ACS refuses without reading it (a binding it does not accept), audited like any refusal. */
    public Uni<Refused> refuse(String slug, Rejection reason, String detail, String client) {
        SamlRejectedException rejection = new SamlRejectedException(reason, detail);
        return connections.cached(slug)
                .chain(connection -> audit.refused(connection.orgId(), slug, null, rejection, client))
                .replaceWith(Refused.of(rejection));
    }

    private Uni<Outcome> consume(SamlConnection connection, String samlResponse, String relayState, String browser,
            String client) {
        if (!connection.configured()) {
            throw new SamlRejectedException(Rejection.NOT_CONFIGURED, connection.slug());
        }
        byte[] xml = decode(samlResponse);
        // parsing and validating are CPU work: on a worker thread, in one hop when no pending request is named
        return Uni.createFrom().item(() -> SamlResponseValidator.parse(xml))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(document -> {
                    // the wrapper's InResponseTo only finds a candidate; the validator decides on the signed value
                    String candidate = SamlResponseValidator.candidateInResponseTo(document);
                    if (candidate == null) {
                        // still on the worker that parsed
                        return Uni.createFrom().item(() -> validate(document, connection, Optional.empty()))
                                .chain(login -> record(connection, login, Optional.empty(), relayState, client));
                    }
                    return pending.find(connection.orgId(), candidate)
                            .chain(request -> Uni.createFrom().item(() -> validate(document, connection, request))
                                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                                    .invoke(login -> requireSameBrowser(login, request, browser))
                                    .chain(login -> record(connection, login, answered(login, request), relayState,
                                            client)));
                });
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
        return validator.validate(document, new SamlResponseValidator.Expectations(connection.idpEntityId(),
                connection.idpX509Certificates(), endpoints.entityId(connection.slug()),
                endpoints.acs(connection.slug()),
                settings.signaturePolicy(), Set.copyOf(settings.signatureAlgorithms()),
                Duration.ofSeconds(settings.clockSkewSeconds()), settings.allowIdpInitiated(),
                request.map(PendingRequests.Pending::id).orElse(null),
                // opened only for an encrypted assertion (then kept with the cached set-up)
                () -> connection.decryptionKeys().stream()
                        .<Credential>map(key -> new BasicX509Credential(key.certificate(), key.privateKey()))
                        .toList()),
                Instant.now());
    }

    /**
     * Records the validated sign-in in one statement ({@link SignInRepository}): replay, pending request, user,
     * session row and audit; then signs the session's JWT.
     */
    private Uni<Outcome> record(SamlConnection connection, SamlResponseValidator.Validated login,
            Optional<PendingRequests.Pending> request, String relayState, String client) {
        SamlSettings settings = connection.settings();
        String email = first(login.attribute(settings.emailAttribute() == null ? "" : settings.emailAttribute()))
                .orElse(login.nameId());
        String givenName = attribute(login, settings.firstNameAttributes());
        String familyName = attribute(login, settings.lastNameAttributes());
        UUID sessionId = UUID.randomUUID();
        Instant now = Instant.now();
        Instant expiresAt = now.plus(config.sessionLifetime());
        return records.record(new SignInRepository.Attempt(connection.orgId(), connection.version(),
                login.assertionId(), login.keepUntil(), login.inResponseTo(), email, settings.jitProvisioning(),
                UUID.randomUUID(), givenName, familyName, sessionId, expiresAt, client)).chain(recorded -> {
                    switch (recorded.verdict()) {
                        case STALE -> throw new StaleSetup();
                        case SIGNED_IN -> {
                            audit.succeeded(connection.slug(), email, recorded.userId());
                            List<String> groups = new ArrayList<>(recorded.groupNames());
                            if (settings.groupsAttribute() != null) {
                                groups.addAll(login.attribute(settings.groupsAttribute()));
                            }
                            Sessions.Issued session = sessions.sign(new Sessions.Subject(recorded.userId(),
                                    connection.orgId(), connection.slug(), connection.region().code(),
                                    recorded.email() != null ? recorded.email() : email,
                                    recorded.givenName() != null ? recorded.givenName() : givenName,
                                    recorded.familyName() != null ? recorded.familyName() : familyName,
                                    List.copyOf(new LinkedHashSet<>(groups)), login.authnContextClassRef()),
                                    sessionId, now, expiresAt);
                            return Uni.createFrom().item(new SignedIn(landing(connection, request, relayState),
                                    session));
                        }
                        default -> {
                            Rejection reason = recorded.verdict().rejection();
                            SamlRejectedException rejection = new SamlRejectedException(reason,
                                    switch (reason) {
                                        case REPLAYED -> login.assertionId();
                                        case UNKNOWN_IN_RESPONSE_TO -> login.inResponseTo();
                                        default -> email;
                                    });
                            audit.refused(connection.slug(), email, rejection);
                            return Uni.createFrom().item(Refused.of(rejection));
                        }
                    }
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
