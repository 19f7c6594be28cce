package dev.keyway.scim.setevents;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An app's RFC 8935 push endpoint: records every SET it acknowledges (202) and refuses (500) those the test says
 * should fail, the way a receiver's outage or bug would.
 */
public final class TestReceiver implements AutoCloseable {

    /** A SET the receiver acknowledged, with the headers it came with. */
    public record Received(SignedJWT set, String raw, Map<String, List<String>> headers) {

        public String subject() {
            try {
                return (String) set.getJWTClaimsSet().getJSONObjectClaim("sub_id").get("uri");
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
        }

        public long sequence() {
            try {
                return set.getJWTClaimsSet().getLongClaim("sequence");
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
        }

        public String jti() {
            try {
                return set.getJWTClaimsSet().getJWTID();
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final HttpServer server;
    public final List<Received> received = new CopyOnWriteArrayList<>();
    public final Map<String, Integer> refusals = new ConcurrentHashMap<>();
    private volatile Predicate<String> refuseSubject = subject -> false;

    public TestReceiver() throws IOException {
        this("127.0.0.1");
    }

    /** A receiver listening on another loopback address, e.g. 127.0.0.2 standing for an internal one. */
    public TestReceiver(String address) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/sets", this::handle);
        server.start();
    }

    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort()
                + "/sets";
    }

    /** SETs about matching subjects get 500 until this changes. */
    public void refuse(Predicate<String> subjects) {
        refuseSubject = subjects;
    }

    public List<Received> of(String subject) {
        return received.stream().filter(set -> set.subject().equals(subject)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            String raw = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            SignedJWT set = SignedJWT.parse(raw);
            Received arrived = new Received(set, raw, Map.copyOf(exchange.getRequestHeaders()));
            if (refuseSubject.test(arrived.subject())) {
                refusals.merge(arrived.subject(), 1, Integer::sum);
                exchange.sendResponseHeaders(500, -1);
            } else {
                received.add(arrived);
                exchange.sendResponseHeaders(202, -1);
            }
        } catch (ParseException e) {
            byte[] answer = "{\"err\":\"invalid_request\",\"description\":\"not a JWT\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(400, answer.length);
            exchange.getResponseBody().write(answer);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
