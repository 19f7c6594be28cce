package dev.keyway.scim.receivers;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.keyway.runtime.crypto.SecretBox;
import dev.keyway.runtime.log.LogSafe;
import dev.keyway.runtime.outbound.AddressPolicy;
import dev.keyway.runtime.timer.TimerLoop;
import dev.keyway.scim.setevents.SecurityEventsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * Pushes SETs to the push receivers (RFC 8935: one SET per POST, {@code application/secevent+jwt}, 202 acknowledges).
 * Each replica cycles on a Vert.x timer: it claims the due head of every resource's queue (rows other replicas are
 * sending are skipped), sends them in parallel, deletes what was acknowledged and backs off what failed, doubling
 * the wait per attempt. A receiver whose oldest SET has failed for {@code keyway.events.retry-for} is paused.
 * The receiver's host is resolved and checked against {@link AddressPolicy} once per cycle and the SETs are sent to
 * the checked address: an internal address makes every claimed SET a failed attempt whose error names it.
 */
@ApplicationScoped
public class PushDelivery {

    private static final Logger LOG = Logger.getLogger(PushDelivery.class);
    static final String SIGNATURE_HEADER = "X-Keyway-Signature";

    /** What one POST came to: null error when acknowledged. */
    private record Outcome(ReceiverRepository.Pending event, String error) {
    }

    private final ReceiverRepository receivers;
    private final SetTokens tokens;
    private final SecretBox secrets;
    private final SecurityEventsConfig config;
    private final Vertx vertx;
    private final Counter delivered;
    private final Counter failed;

    private final TimerLoop loop;
    private final AddressPolicy addresses;

    private HttpClient client;

    public PushDelivery(ReceiverRepository receivers, SetTokens tokens, SecretBox secrets,
            SecurityEventsConfig config, Vertx vertx, MeterRegistry meters) {
        this.receivers = receivers;
        this.tokens = tokens;
        this.secrets = secrets;
        this.config = config;
        this.vertx = vertx;
        this.delivered = meters.counter("keyway.events.pushed");
        this.failed = meters.counter("keyway.events.push.failures");
        this.addresses = new AddressPolicy(config.pushAllowedRanges().orElse(List.of()));
        this.loop = new TimerLoop(vertx, this::deliverAll, failure -> {
            LOG.warnf("Push delivery cycle failed (%s); trying again", failure.toString());
            return config.deliveryInterval();
        });
    }

    void start(@Observes StartupEvent started) {
        client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.deliveryTimeout().toMillis())
                .setMaxPoolSize(config.deliveryBatchSize())
                .setKeepAlive(true));
        loop.start(config.deliveryInterval());
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (!loop.stop(config.deliveryTimeout().plusSeconds(1))) {
            // the leases run out and another replica (or the next start) sends them again
            LOG.debug("Push delivery did not finish its cycle before shutdown");
        }
    }

    /** One round over every active push receiver; no pause when some had a full batch (more is waiting). */
    Uni<Duration> deliverAll() {
        return receivers.activePush()
                .chain(active -> active.isEmpty() ? Uni.createFrom().item(List.<Integer>of())
                        : Multi.createFrom().iterable(active)
                                .onItem().transformToUniAndMerge(this::deliver)
                                .collect().asList())
                .map(sent -> sent.stream().anyMatch(count -> count >= config.deliveryBatchSize()) ? Duration.ZERO
                        : config.deliveryInterval());
    }

    private Uni<Integer> deliver(Receiver receiver) {
        Duration lease = config.deliveryTimeout().multipliedBy(2).plusSeconds(5);
        return receivers.claim(receiver.id(), config.deliveryBatchSize(), lease).chain(claimed -> {
            if (claimed.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            return checkedAddress(receiver).chain(address -> Multi.createFrom().iterable(claimed)
                    .onItem().transformToUniAndMerge(event -> address.error() != null
                            ? Uni.createFrom().item(new Outcome(event, address.error()))
                            : send(receiver, address.address(), event))
                    .collect().asList())
                    .chain(outcomes -> settle(receiver, outcomes))
                    .replaceWith(claimed.size());
        }).onFailure().recoverWithItem(failure -> {
            LOG.warnf("Delivery to receiver %s failed: %s", receiver.name(), failure.toString());
            return 0;
        });
    }

    private Uni<Void> settle(Receiver receiver, List<Outcome> outcomes) {
        List<Long> acknowledged = new ArrayList<>();
        List<Outcome> failures = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.error() == null) {
                acknowledged.add(outcome.event().eventId());
            } else {
                failures.add(outcome);
            }
        }
        delivered.increment(acknowledged.size());
        failed.increment(failures.size());
        Instant giveUpBefore = Instant.now().minus(config.retryFor());
        return receivers.delivered(receiver.id(), acknowledged)
                .chain(() -> Multi.createFrom().iterable(failures)
                        .onItem().transformToUniAndConcatenate(failure -> receivers
                                .failed(receiver.id(), failure.event().eventId(), backoff(failure.event().attempts()),
                                        failure.error(), giveUpBefore)
                                .invoke(paused -> {
                                    if (paused) {
                                        LOG.warnf("Paused event receiver %s: its SETs have failed for %s (%s)",
                                                receiver.name(), config.retryFor(), LogSafe.value(failure.error()));
                                    }
                                }))
                        .collect().last())
                .replaceWithVoid();
    }

    /** Where this cycle's SETs to the receiver go: its host's checked address, or why none is allowed. */
    private record Checked(InetSocketAddress address, String error) {
    }

    private Uni<Checked> checkedAddress(Receiver receiver) {
        return Uni.createFrom().item(() -> URI.create(receiver.url())).chain(addresses::check)
                .map(address -> new Checked(address, null))
                .onFailure().recoverWithItem(failure -> new Checked(null, failure instanceof AddressPolicy.Refused
                        ? "refused: " + failure.getMessage()
                        : "cannot resolve the host: " + truncate(String.valueOf(failure.getMessage()))));
    }

    private Uni<Outcome> send(Receiver receiver, InetSocketAddress address, ReceiverRepository.Pending event) {
        return tokens.token(event, receiver.audience()).chain(token -> {
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                    .setAbsoluteURI(receiver.url())
                    .setServer(SocketAddress.inetSocketAddress(address)) // the checked address; TLS checks the host
                    .setIdleTimeout(config.deliveryTimeout().toMillis())
                    .putHeader("Content-Type", "application/secevent+jwt")
                    .putHeader("Accept", "application/json");
            authenticate(receiver, request, token);
            return client.request(request).chain(outgoing -> {
                // failures are answered through send(); without a handler Vert.x logs each one again
                outgoing.exceptionHandler(ignored -> {
                });
                return outgoing.send(token)
                        .chain(response -> response.body().map(body -> {
                            int status = response.statusCode();
                            if (status >= 200 && status < 300) {
                                return new Outcome(event, null);
                            }
                            return new Outcome(event, "HTTP " + status + (body.length() == 0 ? ""
                                    : ": " + truncate(body.toString(StandardCharsets.UTF_8))));
                        }))
                        .ifNoItem().after(config.deliveryTimeout()).fail()
                        // an endpoint that never answers: give the connection up rather than leave it waiting
                        .onFailure().invoke(() -> outgoing.reset());
            });
        }).onFailure().recoverWithItem(failure -> new Outcome(event,
                failure instanceof TimeoutException ? "no answer within " + config.deliveryTimeout()
                        : truncate(String.valueOf(failure.getMessage()))));
    }

    private void authenticate(Receiver receiver, RequestOptions request, String token) {
        if (receiver.sealedSecret() == null) {
            return;
        }
        String secret = secrets.openString(receiver.sealedSecret(), Receiver.secretContext(receiver.id()));
        if ("bearer".equals(receiver.authType())) {
            request.putHeader("Authorization", "Bearer " + secret);
        } else if ("hmac".equals(receiver.authType())) {
            request.putHeader(SIGNATURE_HEADER, "sha256=" + hmac(secret, token));
        }
    }

    /** The hex HMAC-SHA256 of the body, keyed with the receiver's secret. */
    public static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The wait after the n-th failed attempt: initial × 2^(n-1), at most the maximum. */
    Duration backoff(int attempts) {
        Duration wait = config.initialBackoff();
        for (int i = 1; i < attempts && wait.compareTo(config.maxBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait;
    }

    private static String truncate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
