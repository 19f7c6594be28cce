package dev.keyway.sso.connection;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;

import dev.keyway.runtime.outbound.AddressPolicy;
import dev.keyway.runtime.problem.ApiException;
import dev.keyway.sso.config.SsoConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Fetches an IdP's metadata URL (JumpCloud's "Copy Metadata URL") without letting the URL reach what it should not.
 * The URL is typed by an organization's owner, so every hop (the URL and each redirect, followed here, at most
 * {@link #MAX_REDIRECTS}) is checked like a hand-typed IdP URL, its host resolved and every address checked against
 * {@link AddressPolicy}, and the connection made to that checked address (never re-resolved, so DNS rebinding between
 * check and connect cannot happen). The body is read in chunks and dropped past the size cap; the whole fetch has one
 * deadline. Failures say only a category ({@code reason}), never an address, a remote host's name or its body.
 */
@ApplicationScoped
public class MetadataFetch {

    static final int MAX_REDIRECTS = 3;

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private record Answer(String location, byte[] document) {
    }

    private final HttpClient client;
    private final AddressPolicy addresses;
    private final Duration timeout;
    private final boolean allowHttp;
    private final int maxBytes;

    @Inject
    public MetadataFetch(Vertx vertx, SsoConfig config) {
        this(vertx, new AddressPolicy(config.metadataFetchAllowedRanges().orElse(List.of())),
                config.metadataFetchTimeout(), config.allowHttpMetadataUrls(), IdpMetadata.MAX_BYTES);
    }

    MetadataFetch(Vertx vertx, AddressPolicy addresses, Duration timeout, boolean allowHttp, int maxBytes) {
        // no keep-alive: one connection per checked address and hop, closed when the hop ends; no compression is
        // asked for, so the size cap counts the bytes that arrive
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setVerifyHost(true));
        this.addresses = addresses;
        this.timeout = timeout;
        this.allowHttp = allowHttp;
        this.maxBytes = maxBytes;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * The document at {@code url}.
     *
     * @throws ApiException 400 naming metadataUrl when the URL is not one we fetch (before anything is sent), or
     *                      with a category as {@code reason} when fetching failed
     */
    public Uni<byte[]> fetch(String url) {
        URI uri = IdpUrls.require(url, "metadataUrl", allowHttp);
        return hop(uri, 0).ifNoItem().after(timeout).failWith(() -> failure("timeout"));
    }

    private Uni<byte[]> hop(URI url, int redirects) {
        // a failure says only its category: the address is not for the owner who typed the URL
        return addresses.check(url).onFailure().transform(refused -> failure("address-not-allowed"))
                .chain(address -> get(url, address))
                .chain(answer -> {
                    if (answer.location() == null) {
                        return Uni.createFrom().item(answer.document());
                    }
                    if (redirects >= MAX_REDIRECTS) {
                        throw failure("too-many-redirects");
                    }
                    return hop(redirectTarget(url, answer.location()), redirects + 1);
                });
    }

    private URI redirectTarget(URI from, String location) {
        try {
            return IdpUrls.require(from.resolve(location.strip()).toString(), "metadataUrl", allowHttp);
        } catch (ApiException | IllegalArgumentException e) {
            throw failure("redirect-not-allowed");
        }
    }

    private Uni<Answer> get(URI url, InetSocketAddress address) {
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(address)) // the checked address; TLS still verifies the host
                .setHost(url.getHost()).setPort(address.getPort()).setURI(path)
                .setSsl("https".equalsIgnoreCase(url.getScheme())).setFollowRedirects(false)
                .setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis())
                .putHeader(HttpHeaders.ACCEPT, "application/samlmetadata+xml, application/xml, text/xml");
        return Uni.createFrom().emitter(emitter -> {
            AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
            AtomicBoolean ended = new AtomicBoolean();
            // however the hop ends (done, refused, or cancelled by the deadline), its connection is closed
            emitter.onTermination(() -> {
                ended.set(true);
                HttpClientRequest request = sent.get();
                if (request != null) {
                    request.reset();
                }
            });
            client.request(options).onFailure(e -> emitter.fail(unreachable(e))).onSuccess(request -> {
                sent.set(request);
                if (ended.get()) {
                    request.reset();
                    return;
                }
                request.send().onFailure(e -> emitter.fail(unreachable(e)))
                        .onSuccess(response -> read(response, emitter));
            });
        });
    }

    private void read(HttpClientResponse response, UniEmitter<? super Answer> emitter) {
        // also takes the reset with which every hop ends, which Vert.x would otherwise log as an error
        response.exceptionHandler(e -> emitter.fail(unreachable(e)));
        if (REDIRECTS.contains(response.statusCode()) && response.getHeader(HttpHeaders.LOCATION) != null) {
            emitter.complete(new Answer(response.getHeader(HttpHeaders.LOCATION), null));
            return;
        }
        if (response.statusCode() != 200) {
            emitter.fail(failure("error-status")); // the body of an error page is never read
            return;
        }
        String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && length.length() < 19 && length.chars().allMatch(Character::isDigit)
                && Long.parseLong(length) > maxBytes) {
            emitter.fail(failure("too-large"));
            return;
        }
        Buffer document = Buffer.buffer();
        response.handler(chunk -> {
            if (document.length() + chunk.length() > maxBytes) {
                emitter.fail(failure("too-large"));
            } else {
                document.appendBuffer(chunk);
            }
        });
        response.endHandler(end -> emitter.complete(new Answer(null, document.getBytes())));
    }

    private static ApiException unreachable(Throwable cause) {
        return failure(cause instanceof TimeoutException ? "timeout" : "unreachable");
    }

    private static ApiException failure(String reason) {
        return new ApiException(Status.BAD_REQUEST, reason,
                "metadataUrl: the metadata URL could not be fetched (" + reason + ").");
    }
}
