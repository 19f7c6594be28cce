package dev.keyway.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.keyway.testsupport.JumpCloudStandIn;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;

/**
 * The three services as their packaged applications ({@code target/quarkus-app}), each its own process on a free
 * port, sharing one real PostgreSQL (a schema each) and one real Kafka, wired as in production; import-service reads
 * the JumpCloud stand-ins of this JVM. Started once per JVM.
 */
public final class KeywaySystem {

    public static final String OPERATOR_TOKEN = "system-test-operator-token";

    private static KeywaySystem instance;

    private final Map<String, Service> services = new LinkedHashMap<>();

    /** One running service. */
    public record Service(String name, int port, Process process, Path log) {
        public String url() {
            return "http://localhost:" + port;
        }
    }

    public static synchronized KeywaySystem get() {
        if (instance == null) {
            instance = new KeywaySystem();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
            instance.start();
        }
        return instance;
    }

    public Service sso() {
        return services.get("sso-service");
    }

    public Service scim() {
        return services.get("scim-service");
    }

    public Service imports() {
        return services.get("import-service");
    }

    public List<Service> all() {
        return List.copyOf(services.values());
    }

    private void start() {
        TestPostgres postgres = TestPostgres.get();
        TestKafka kafka = TestKafka.get();
        Map<String, Integer> ports = Map.of("sso-service", freePort(), "scim-service", freePort(),
                "import-service", freePort());
        String jwks = "http://localhost:" + ports.get("sso-service") + "/.well-known/jwks.json";
        for (String name : List.of("sso-service", "scim-service", "import-service")) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("quarkus.http.port", ports.get(name).toString());
            config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
            config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
            config.put("quarkus.datasource.username", postgres.username());
            config.put("quarkus.datasource.password", postgres.password());
            config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            config.put("keyway.encryption.keys", KeywayTestStack.TEST_ENCRYPTION_KEY);
            config.put("keyway.deployment.urls.api", "http://localhost:" + ports.get(name));
            config.put("keyway.outbox.max-backoff", "2s");
            config.put("keyway.outbox.send-timeout", "3s");
            if (name.equals("sso-service")) {
                config.put("keyway.operator-token", OPERATOR_TOKEN);
            } else {
                if (name.equals("import-service")) {
                    config.put("keyway.jumpcloud.us-url", JumpCloudStandIn.us().url());
                    config.put("keyway.jumpcloud.eu-url", JumpCloudStandIn.eu().url());
                }
                config.put("mp.jwt.verify.publickey.location", jwks);
            }
            services.put(name, launch(name, ports.get(name), config));
        }
        for (Service service : services.values()) {
            awaitReady(service);
        }
    }

    private static Service launch(String name, int port, Map<String, String> config) {
        Path root = Path.of(System.getProperty("keyway.root", ".."));
        Path app = root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(app)) {
            throw new IllegalStateException(app + " is missing: package the services first (mvn verify builds them)");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx384m");
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(app.toString());
        try {
            Path logs = Files.createDirectories(Path.of("target", "system-logs"));
            Path log = logs.resolve(name + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new Service(name, port, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    private static void awaitReady(Service service) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.process().isAlive()) {
                throw new IllegalStateException(service.name() + " exited; see " + service.log().toAbsolutePath());
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(service.url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException(service.name() + " not ready in time; see " + service.log().toAbsolutePath());
    }

    private void stop() {
        services.values().forEach(service -> service.process().destroy());
        services.values().forEach(service -> {
            try {
                service.process().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
