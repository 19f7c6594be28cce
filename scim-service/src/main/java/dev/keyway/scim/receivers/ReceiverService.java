package dev.keyway.scim.receivers;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.runtime.crypto.SecretBox;
import dev.keyway.runtime.outbound.AddressPolicy;
import dev.keyway.runtime.problem.ApiException;
import dev.keyway.scim.setevents.SecurityEventsConfig;
import io.smallrye.mutiny.Uni;

/**
 * The rules of receivers: a push receiver has an http(s) URL and optionally a secret (sealed at rest); a poll receiver
 * gets a token, shown once and stored as a hash. A new receiver gets the events written from then on; a replay
 * queues earlier ones from the log.
 */
@ApplicationScoped
public class ReceiverService {

    private static final String POLL_TOKEN_PREFIX = "kwe_";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A registered receiver, and for a poll receiver its token (only now). */
    public record Registered(Receiver receiver, String pollToken) {
    }

    private final ReceiverRepository receivers;
    private final SecretBox secrets;
    private final SecurityEventsConfig config;
    private final AddressPolicy addresses;

    public ReceiverService(ReceiverRepository receivers, SecretBox secrets, SecurityEventsConfig config) {
        this.receivers = receivers;
        this.secrets = secrets;
        this.config = config;
        this.addresses = new AddressPolicy(config.pushAllowedRanges().orElse(List.of()));
    }

    public Uni<Registered> register(ReceiverRequest request) {
        UUID id = UUID.randomUUID();
        boolean push = Receiver.PUSH.equals(request.mode());
        String authType = request.auth() == null ? "none" : request.auth().type();
        String pollToken = null;
        byte[] tokenHash = null;
        String sealed = null;
        String audience = request.audience();
        if (push) {
            checkUrl(request.url());
            if (!"none".equals(authType)) {
                if (request.auth().secret() == null) {
                    throw ApiException.badRequest("auth.secret: required for " + authType);
                }
                sealed = secrets.seal(request.auth().secret(), Receiver.secretContext(id));
            }
            audience = audience == null || audience.isBlank() ? request.url() : audience;
        } else {
            if (request.url() != null || request.auth() != null) {
                throw ApiException.badRequest("url, auth: a poll receiver has neither (it polls with its token)");
            }
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            pollToken = POLL_TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            tokenHash = hash(pollToken);
            audience = audience == null || audience.isBlank() ? "urn:keyway:event-receiver:" + request.name()
                    : audience;
        }
        String token = pollToken;
        return receivers.insert(id, request, audience, authType, sealed, tokenHash)
                .onFailure(ReceiverRepository::isNameTaken)
                .transform(e -> ApiException.conflict("A receiver named '" + request.name() + "' exists."))
                .chain(() -> receivers.find(id)).map(receiver -> new Registered(receiver, token));
    }

    public Uni<List<Receiver>> list() {
        return receivers.list();
    }

    public Uni<Receiver> get(UUID id) {
        return receivers.find(id).onItem().ifNull().failWith(() -> notFound(id));
    }

    public Uni<Void> delete(UUID id) {
        return receivers.delete(id).invoke(found -> {
            if (!found) {
                throw notFound(id);
            }
        }).replaceWithVoid();
    }

    public Uni<Receiver> pause(UUID id) {
        return get(id).chain(() -> receivers.pause(id, "paused by the operator")).chain(() -> get(id));
    }

    public Uni<Receiver> resume(UUID id) {
        return get(id).chain(() -> receivers.resume(id)).chain(() -> get(id));
    }

    /** Queues again every logged event since {@code from} (at most the retention period ago). */
    public Uni<Integer> replay(UUID id, Instant from) {
        if (from.isAfter(Instant.now())) {
            throw ApiException.badRequest("from: must not be in the future");
        }
        return get(id).chain(() -> receivers.replay(id, from));
    }

    /** The SHA-256 of a poll token: what is stored and looked up. */
    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void checkUrl(String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest("url: required for a push receiver");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("url: not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean allowed = scheme.equals("https") || scheme.equals("http") && config.allowHttpUrls();
        if (!allowed || uri.getHost() == null || uri.getUserInfo() != null || uri.getFragment() != null) {
            throw ApiException.badRequest("url: must be an absolute https URL without credentials or fragment");
        }
        // a name is checked at each delivery (PushDelivery), where what it resolves to is known
        if (addresses.refusesLiteral(uri.getHost())) {
            throw ApiException.badRequest("url: " + uri.getHost() + " is an internal address Keyway does not push "
                    + "to (see keyway.events.push-allowed-ranges)");
        }
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("No event receiver " + id + ".");
    }
}
