package dev.keyway.sso.oidc.logout;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.keyway.runtime.log.LogSafe;
import dev.keyway.runtime.outbound.AddressPolicy;
import dev.keyway.sso.oidc.OidcConfig;
import dev.keyway.sso.oidc.OidcIssuer;
import dev.keyway.sso.signing.SigningKeys;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * Delivers OpenID Connect Back-Channel Logout 1.0 tokens: a POST of {@code logout_token} (RS256, typ
 * {@code logout+jwt}: iss, aud, iat, exp, jti, sub, sid and the back-channel logout event) to the app's
 * {@code backchannel_logout_uri}. A 2xx acknowledges it; anything else is retried with exponential backoff (doubling
 * from {@link OidcConfig.Logout#initialBackoff()} up to its maximum) until acknowledged or given up after
 * {@link OidcConfig.Logout#giveUpAfter()}. Any replica may deliver; each claims rows under a lease. The app's host
 * is resolved and checked against {@link AddressPolicy} at each delivery, and the POST goes to the checked address:
 * an internal address is a failed delivery whose error names it.
 */
@ApplicationScoped
public class LogoutDelivery {

    private static final Logger LOG = Logger.getLogger(LogoutDelivery.class);
    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    private static final int BATCH = 50;

    private final LogoutDeliveryRepository repository;
    private final SigningKeys keys;
    private final OidcIssuer issuer;
    private final OidcConfig.Logout config;
    private final HttpClient client;
    private final AddressPolicy addresses;
    private final AtomicBoolean due = new AtomicBoolean();

    public LogoutDelivery(LogoutDeliveryRepository repository, SigningKeys keys, OidcIssuer issuer, OidcConfig config,
            Vertx vertx) {
        this.repository = repository;
        this.keys = keys;
        this.issuer = issuer;
        this.config = config.logout();
        this.client = vertx.createHttpClient();
        this.addresses = new AddressPolicy(this.config.allowedRanges().orElse(List.of()));
    }

    @PreDestroy
    void close() {
        client.closeAndForget();
    }

    /**
     * Deliveries were recorded in a transaction about to commit: {@link #wakeIfDue()} after the commit sends them at
     * once instead of at the next poll (a deactivation reaches the apps within the second).
     */
    public void expectDue() {
        due.set(true);
    }

    /** Delivers now if {@link #expectDue()} was called since the last wake; the poll covers anything missed. */
    public void wakeIfDue() {
        if (due.compareAndSet(true, false)) {
            deliverDue().subscribe().with(done -> {
            }, failure -> LOG.debugf("Back-channel logout wake-up failed: %s", failure.getMessage()));
        }
    }

    @Scheduled(identity = "oidc-backchannel-logout", every = "${keyway.oidc.logout.poll-interval:200ms}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> deliverDue() {
        // lease: twice the request timeout, so a replica that died mid-delivery leaves the row due again
        return repository.claim(BATCH, config.timeout().multipliedBy(2).toSeconds() + 1)
                .chain(due -> due.isEmpty() ? Uni.createFrom().voidItem() : deliverAll(due))
                // the database away (or shutting down): the rows stay due, the next tick tries again
                .onFailure().recoverWithUni(failure -> {
                    LOG.debugf("Back-channel logout delivery skipped: %s", failure.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> deliverAll(List<LogoutDeliveryRepository.Due> due) {
        return Multi.createFrom().iterable(due).onItem().transformToUniAndMerge(this::deliver).collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> deliver(LogoutDeliveryRepository.Due delivery) {
        return token(delivery).chain(token -> send(delivery.uri(), token))
                .chain(() -> repository.delivered(delivery.id()))
                .invoke(() -> LOG.debugf("Back-channel logout delivered to client %s", delivery.clientId()))
                .onFailure().recoverWithUni(failure -> retryLater(delivery, failure));
    }

    private Uni<Void> retryLater(LogoutDeliveryRepository.Due delivery, Throwable failure) {
        String error = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (delivery.createdAt().plus(config.giveUpAfter()).isBefore(Instant.now())) {
            LOG.warnf("Back-channel logout to client %s given up after %d attempts: %s",
                    LogSafe.value(delivery.clientId()), delivery.attempts(), LogSafe.value(error));
            return repository.givenUp(delivery.id(), error);
        }
        Duration backoff = backoff(delivery.attempts(), config.initialBackoff(), config.maxBackoff());
        LOG.infof("Back-channel logout to client %s failed (attempt %d, next in %s): %s",
                LogSafe.value(delivery.clientId()), delivery.attempts(), backoff, LogSafe.value(error));
        return repository.failed(delivery.id(), Instant.now().plus(backoff), error);
    }

    /** initial × 2^(attempts − 1), at most the maximum. */
    static Duration backoff(int attempts, Duration initial, Duration max) {
        Duration backoff = initial;
        for (int i = 1; i < attempts && backoff.compareTo(max) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(max) > 0 ? max : backoff;
    }

    private Uni<String> token(LogoutDeliveryRepository.Due delivery) {
        Instant now = Instant.now();
        return keys.signer().map(key -> Jwt.issuer(issuer.url())
                .audience(delivery.clientId())
                .subject(delivery.userId().toString())
                .issuedAt(now)
                .expiresAt(now.plus(Duration.ofMinutes(2)))
                .claim("jti", delivery.id().toString())
                .claim("sid", delivery.sessionId().toString())
                .claim("events", Map.of(EVENT, Map.of()))
                .jws().algorithm(SignatureAlgorithm.RS256).header("typ", "logout+jwt").keyId(key.kid())
                .sign(key.privateKey()));
    }

    private Uni<Void> send(String uri, String token) {
        String body = "logout_token=" + token; // a JWT is URL-safe as it is
        return Uni.createFrom().item(() -> URI.create(uri)).chain(addresses::check)
                .map(address -> new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(uri)
                        .setServer(SocketAddress.inetSocketAddress(address)) // the checked address; TLS checks the host
                        .setTimeout(config.timeout().toMillis()).setFollowRedirects(false)
                        .putHeader("Content-Type", "application/x-www-form-urlencoded"))
                .chain(client::request)
                .chain(request -> request.send(Buffer.buffer(body)))
                .chain(response -> response.body().map(ignored -> response.statusCode()))
                .map(status -> {
                    if (status < 200 || status > 299) {
                        throw new IllegalStateException("HTTP " + status);
                    }
                    return null;
                });
    }
}
