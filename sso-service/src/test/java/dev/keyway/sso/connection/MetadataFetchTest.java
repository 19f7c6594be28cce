package dev.keyway.sso.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import dev.keyway.runtime.outbound.AddressPolicy;
import dev.keyway.runtime.problem.ApiException;
import io.vertx.core.Vertx;

/**
 * The metadata URL fetch against a real local HTTP server: it reaches only checked addresses (after resolution, on
 * every redirect, connecting to the address it checked), stops reading past the size cap and at the deadline, and
 * its errors name a category, never an address or a remote body.
 */
class MetadataFetchTest {

    private static final byte[] METADATA = "<md:EntityDescriptor/>".getBytes(StandardCharsets.UTF_8);
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    private static Vertx vertx;

    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService handlers = Executors.newCachedThreadPool();

    @BeforeAll
    static void startVertx() throws IOException {
        vertx = Vertx.vertx();
        // the first request of a JVM loads Netty's HTTP client, which takes seconds on a busy machine: not the
        // deadline under test
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> send(exchange, 200, METADATA));
        server.start();
        try {
            new MetadataFetch(vertx, new AddressPolicy(List.of("127.0.0.1/32"), MetadataFetchTest::literal),
                    Duration.ofSeconds(30), true, 1024).fetch("http://127.0.0.1:" + server.getAddress().getPort() + "/")
                    .await().atMost(Duration.ofSeconds(30));
        } finally {
            server.stop(0);
        }
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.stop(0));
        handlers.shutdownNow();
    }

    @Test
    void aHostNameIsResolvedOnceCheckedAndConnectedToByItsCheckedAddress() throws IOException {
        AtomicReference<String> host = new AtomicReference<>();
        int port = serve("127.0.0.1", "/metadata.xml", exchange -> {
            host.set(exchange.getRequestHeaders().getFirst("Host"));
            send(exchange, 200, METADATA);
        });
        // a name only this resolver knows: the connection can only have gone to the address we checked
        AtomicInteger lookups = new AtomicInteger();
        MetadataFetch fetch = fetch(List.of("127.0.0.1/32"), name -> {
            lookups.incrementAndGet();
            return Map.of("idp-metadata.test", List.of(InetAddress.getByName("127.0.0.1"))).get(name);
        });

        byte[] document = fetch.fetch("http://idp-metadata.test:" + port + "/metadata.xml").await().atMost(DEADLINE);

        assertArrayEquals(METADATA, document);
        assertEquals("idp-metadata.test:" + port, host.get());
        assertEquals(1, lookups.get());
    }

    @Test
    void aHostNameResolvingToLoopbackIsRefusedWhenLoopbackIsNotAllowed() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        int port = serve("127.0.0.1", "/", exchange -> {
            requests.incrementAndGet();
            send(exchange, 200, METADATA);
        });
        MetadataFetch fetch = fetch(List.of(), name -> List.of(InetAddress.getAllByName(name)));

        assertRefused(fetch, "http://localhost:" + port + "/metadata.xml", "address-not-allowed");
        assertRefused(fetch, "http://127.0.0.1:" + port + "/metadata.xml", "address-not-allowed");
        assertEquals(0, requests.get());
    }

    @Test
    void aRedirectToAnAddressOutsideTheAllowedRangeIsRefusedBeforeItIsContacted() throws IOException {
        AtomicInteger internalRequests = new AtomicInteger();
        int internal = serve("127.0.0.2", "/", exchange -> {
            internalRequests.incrementAndGet();
            send(exchange, 200, METADATA);
        });
        int port = serve("127.0.0.1", "/", exchange -> {
            String target = exchange.getRequestURI().getPath().equals("/to-internal")
                    ? "http://127.0.0.2:" + internal + "/metadata.xml"
                    : "http://169.254.169.254/latest/meta-data/iam/security-credentials/";
            exchange.getResponseHeaders().add("Location", target);
            send(exchange, 302, new byte[0]);
        });
        MetadataFetch fetch = fetch(List.of("127.0.0.1/32"), MetadataFetchTest::literal);

        String detail = assertRefused(fetch, "http://127.0.0.1:" + port + "/to-internal", "address-not-allowed");
        assertRefused(fetch, "http://127.0.0.1:" + port + "/to-metadata-service", "address-not-allowed");
        assertEquals(0, internalRequests.get());
        assertFalse(detail.contains("127.0.0.2") || detail.contains(String.valueOf(internal)), detail);
    }

    @Test
    void redirectsAreFollowedAFewTimesEachToAnHttpsOrAllowedHttpUrl() throws IOException {
        int port = serve("127.0.0.1", "/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/moved" -> redirect(exchange, "/metadata.xml"); // relative, against the current URL
                case "/metadata.xml" -> send(exchange, 200, METADATA);
                case "/to-script" -> redirect(exchange, "javascript:alert(1)");
                default -> redirect(exchange, "/loop" + (Integer.parseInt(path.replaceAll("\\D", "0")) + 1));
            }
        });
        MetadataFetch fetch = fetch(List.of("127.0.0.1/32"), MetadataFetchTest::literal);

        assertArrayEquals(METADATA, fetch.fetch("http://127.0.0.1:" + port + "/moved").await().atMost(DEADLINE));
        assertRefused(fetch, "http://127.0.0.1:" + port + "/loop1", "too-many-redirects");
        assertRefused(fetch, "http://127.0.0.1:" + port + "/to-script", "redirect-not-allowed");
    }

    @Test
    void anEndlessBodyIsAbandonedAtTheSizeCapWithoutBeingBuffered() throws Exception {
        CountDownLatch abandoned = new CountDownLatch(1);
        int port = serve("127.0.0.1", "/", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, no Content-Length to refuse early
            byte[] chunk = new byte[16 * 1024];
            try (OutputStream body = exchange.getResponseBody()) {
                while (true) {
                    body.write(chunk);
                    body.flush();
                }
            } catch (IOException closedByTheClient) {
                abandoned.countDown();
            }
        });
        MetadataFetch fetch = fetch(List.of("127.0.0.1/32"), MetadataFetchTest::literal);

        assertRefused(fetch, "http://127.0.0.1:" + port + "/endless.xml", "too-large");
        assertTrue(abandoned.await(10, TimeUnit.SECONDS), "the connection is closed, not drained");
    }

    @Test
    void aDeclaredOversizeBodyIsRefusedFromItsLength() throws IOException {
        int port = serve("127.0.0.1", "/", exchange -> send(exchange, 200, new byte[64 * 1024 + 1]));
        MetadataFetch fetch = fetch(List.of("127.0.0.1/32"), MetadataFetchTest::literal);

        assertRefused(fetch, "http://127.0.0.1:" + port + "/big.xml", "too-large");
    }

    @Test
    void aBodyDrippingInSlowerThanTheDeadlineIsAbandonedAtTheDeadline() throws Exception {
        CountDownLatch abandoned = new CountDownLatch(1);
        int port = serve("127.0.0.1", "/", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                // one byte every 50 ms: never idle long enough for a per-read timeout, never done either
                for (int i = 0; i < 2_000; i++) {
                    body.write('<');
                    body.flush();
                    Thread.sleep(50);
                }
            } catch (IOException closedByTheClient) {
                abandoned.countDown();
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        });
        MetadataFetch fetch = fetch(List.of("127.0.0.1/32"), MetadataFetchTest::literal);

        assertRefused(fetch, "http://127.0.0.1:" + port + "/drip.xml", "timeout");
        assertTrue(abandoned.await(10, TimeUnit.SECONDS), "the connection is closed at the deadline");
    }

    @Test
    void anErrorAnswerIsAStatusCategoryAndItsBodyIsNeverShown() throws IOException {
        int port = serve("127.0.0.1", "/", exchange -> send(exchange, 500,
                "db01.internal.corp:5432 connection refused".getBytes(StandardCharsets.UTF_8)));
        MetadataFetch fetch = fetch(List.of("127.0.0.1/32"), MetadataFetchTest::literal);

        String detail = assertRefused(fetch, "http://127.0.0.1:" + port + "/metadata.xml", "error-status");
        assertFalse(detail.contains("db01") || detail.contains("500"), detail);
    }

    @Test
    void aPortNobodyListensOnIsUnreachable() throws IOException {
        int port = serve("127.0.0.1", "/", exchange -> send(exchange, 200, METADATA));
        servers.remove(0).stop(0);
        MetadataFetch fetch = fetch(List.of("127.0.0.1/32"), MetadataFetchTest::literal);

        assertRefused(fetch, "http://127.0.0.1:" + port + "/metadata.xml", "unreachable");
    }

    private MetadataFetch fetch(List<String> allowed, AddressPolicy.Resolver resolver) {
        return new MetadataFetch(vertx, new AddressPolicy(allowed, resolver), DEADLINE, true, 64 * 1024);
    }

    /** @return the problem detail, for checks that it reveals nothing */
    private static String assertRefused(MetadataFetch fetch, String url, String reason) {
        ApiException refused = assertThrows(ApiException.class,
                () -> fetch.fetch(url).await().atMost(DEADLINE.multipliedBy(4)));
        assertEquals(400, refused.status().getStatusCode());
        assertEquals(reason, refused.reason(), refused.getMessage());
        assertEquals("metadataUrl: the metadata URL could not be fetched (" + reason + ").", refused.getMessage());
        return refused.getMessage();
    }

    private static List<InetAddress> literal(String host) throws UnknownHostException {
        return List.of(InetAddress.getByName(host));
    }

    private int serve(String address, String path, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext(path, handler);
        server.setExecutor(handlers);
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        send(exchange, 302, new byte[0]);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }
}
