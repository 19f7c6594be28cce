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
 * The services as their packaged applications ({@code target/quarkus-app}), each its own process on a free port,
 * wired as in production: region {@code api} (all three, on one real PostgreSQL database and one real Kafka) and, for
 * the tests that need it, region {@code eu} (on another database and another Kafka cluster, the registry mirrored by
 * MirrorMaker 2). import-service reads the JumpCloud stand-ins of this JVM. Each region starts once per JVM.
 */
public final class KeywaySystem {

    public static final String OPERATOR_TOKEN = "system-test-operator-token";

    private static KeywaySystem instance;
    private static KeywaySystem eu;

    /** The second region's ports are chosen up front: every service names both regions' base URLs. */
    private static final Map<String, Integer> EU_PORTS = Map.of("sso-service", freePort(), "scim-service", freePort());

    private final Map<String, Service> services = new LinkedHashMap<>();

    /** One running service: its public port, and the management port that serves health, metrics and OpenAPI. */
    public record Service(String name, int port, int managementPort, Process process, Path log) {
        public String url() {
            return "http://localhost:" + port;
        }

        public String managementUrl() {
            return "http://localhost:" + managementPort;
        }
    }

    /** Region {@code api}: the three services on this JVM's PostgreSQL and Kafka. */
    public static synchronized KeywaySystem get() {
        if (instance == null) {
            instance = new KeywaySystem();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (String name : List.of("sso-service", "scim-service", "import-service")) {
                ports.put(name, freePort());
            }
            instance.start("api", ports, TestPostgres.get(), TestKafka.get());
        }
        return instance;
    }

    /**
     * Region {@code eu}: sso-service and scim-service on a database and a Kafka cluster of their own, with MirrorMaker 2
     * (configured by deploy/kafka/mm2.properties) mirroring the organization registry between the two clusters.
     */
    public static synchronized KeywaySystem eu() {
        get();
        if (eu == null) {
            TestKafka euKafka = TestKafka.second();
            TwoRegionMirror.start(TestKafka.get(), euKafka);
            eu = new KeywaySystem();
            Runtime.getRuntime().addShutdownHook(new Thread(eu::stop));
            eu.start("eu", new LinkedHashMap<>(EU_PORTS), TestPostgres.get().anotherDatabase(), euKafka);
        }
        return eu;
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

    private void start(String region, Map<String, Integer> ports, TestPostgres postgres, TestKafka kafka) {
        String jwks = "http://localhost:" + ports.get("sso-service") + "/.well-known/jwks.json";
        for (String name : ports.keySet()) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("quarkus.http.port", ports.get(name).toString());
            int managementPort = freePort();
            config.put("quarkus.management.port", Integer.toString(managementPort));
            config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
            config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
            config.put("quarkus.datasource.username", postgres.username());
            config.put("quarkus.datasource.password", postgres.password());
            config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            config.put("keyway.encryption.keys", KeywayTestStack.TEST_ENCRYPTION_KEY);
            config.put("keyway.deployment.region", region);
            config.put("keyway.deployment.urls." + region, "http://localhost:" + ports.get(name));
            if (region.equals("api") && EU_PORTS.containsKey(name)) {
                config.put("keyway.deployment.urls.eu", "http://localhost:" + EU_PORTS.get(name));
            }
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
            services.put(name, launch(region + "-" + name, ports.get(name), managementPort, config));
        }
        for (Service service : services.values()) {
            awaitReady(service);
        }
    }

    private static Service launch(String label, int port, int managementPort, Map<String, String> config) {
        String name = label.substring(label.indexOf('-') + 1);
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
            Path log = logs.resolve(label + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new Service(label, port, managementPort, process, log);
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
                URI readiness = URI.create(service.managementUrl() + "/q/health/ready");
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(readiness)
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
