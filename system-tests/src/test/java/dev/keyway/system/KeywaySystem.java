package dev.keyway.system;

import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.TimeUnit;

import dev.keyway.common.event.Topics;
import dev.keyway.testsupport.FreePorts;
import dev.keyway.testsupport.JumpCloudStandIn;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.LocalRegions;
import dev.keyway.testsupport.Teardown;
import dev.keyway.testsupport.TestDns;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;

/**
 * The services as their packaged applications ({@code target/quarkus-app}), each its own process on a free port,
 * wired as in production: region {@code api} (all three, on one real PostgreSQL database and one real Kafka) and, for
 * the tests that need it, region {@code eu} (on another database and another Kafka cluster, the registry mirrored by
 * MirrorMaker 2). import-service reads the JumpCloud stand-ins of this JVM, sso-service asks this JVM's
 * {@link TestDns} for domains' TXT records; every service exports its spans to this JVM's {@link OtlpReceiver}. Each region starts once per JVM.
 */
public final class KeywaySystem {

    public static final String OPERATOR_TOKEN = "system-test-operator-token";

    private static KeywaySystem instance;
    private static KeywaySystem eu;
    /** Why region api did not start, if it did not. */
    private static Throwable failedStart;

    /** Where the services of each region run: the regions and services of deploy/regions.properties. */
    private static final LocalRegions REGIONS = LocalRegions.get();

    /** Region eu runs the services the two-region tests need. */
    private static final List<String> EU_SERVICES = List.of("sso-service", "scim-service");

    /**
     * Every service's port in every region, chosen up front (free ports, not the file's, so a local run can go on
     * beside the tests): every service names its base URL in each region.
     */
    private static final Map<String, Map<String, Integer>> PORTS = ports();

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
        if (failedStart != null) {
            // rather than leave the later tests to talk to whatever answers on its ports
            throw new IllegalStateException("region api did not start", failedStart);
        }
        if (instance == null) {
            try {
                instance = started("api", REGIONS.services(), TestPostgres.get(), TestKafka.get());
            } catch (RuntimeException | Error e) {
                failedStart = e;
                throw e;
            }
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
            eu = started("eu", EU_SERVICES, TestPostgres.get().anotherDatabase(), euKafka);
        }
        return eu;
    }

    private static KeywaySystem started(String region, List<String> names, TestPostgres postgres, TestKafka kafka) {
        KeywaySystem system = new KeywaySystem();
        // stopped before the broker and the database it uses (registered earlier), so both stop promptly
        Teardown.register(system::stop);
        system.start(region, names, postgres, kafka);
        return system;
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

    public Service portal() {
        return services.get("admin-portal");
    }

    public List<Service> all() {
        return List.copyOf(services.values());
    }

    private static Map<String, Map<String, Integer>> ports() {
        Map<String, Map<String, Integer>> ports = new LinkedHashMap<>();
        for (String region : REGIONS.regions()) {
            Map<String, Integer> ofRegion = new LinkedHashMap<>();
            REGIONS.services().forEach(service -> ofRegion.put(service, FreePorts.take()));
            ports.put(region, ofRegion);
        }
        return ports;
    }

    private static String url(String region, String service) {
        return "http://localhost:" + PORTS.get(region).get(service);
    }

    private void start(String region, List<String> names, TestPostgres postgres, TestKafka kafka) {
        // as in production, the topics exist before the services subscribe (see KeywayTestStack)
        kafka.createTopics(Topics.ORGS, Topics.DIRECTORY, Topics.IMPORTS);
        String jwks = url(region, "sso-service") + "/.well-known/jwks.json";
        for (String name : names) {
            int port = PORTS.get(region).get(name);
            Map<String, String> config = new LinkedHashMap<>();
            config.put("quarkus.http.port", Integer.toString(port));
            int managementPort = FreePorts.take();
            config.put("quarkus.management.port", Integer.toString(managementPort));
            config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
            config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
            config.put("quarkus.datasource.username", postgres.username());
            config.put("quarkus.datasource.password", postgres.password());
            // four services migrating at once on a loaded machine: wait for a connection rather than fail the start
            config.put("quarkus.datasource.jdbc.acquisition-timeout", "60s");
            config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            config.putAll(KeywayTestStack.QUICK_REBALANCE);
            config.put("keyway.encryption.keys", KeywayTestStack.TEST_ENCRYPTION_KEY);
            Map<String, String> urls = new LinkedHashMap<>();
            REGIONS.regions().forEach(each -> urls.put(each, url(each, name)));
            config.putAll(LocalRegions.placement(region, urls));
            // traced, exported to this JVM's OTLP endpoint, in batches sent soon
            config.put("quarkus.otel.sdk.disabled", "false");
            config.put("quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf");
            config.put("quarkus.otel.exporter.otlp.traces.endpoint", OtlpReceiver.get().endpoint());
            config.put("quarkus.otel.bsp.schedule.delay", "100ms");
            config.put("keyway.outbox.max-backoff", "2s");
            config.put("keyway.outbox.send-timeout", "3s");
            if (name.equals("scim-service")) {
                // the receivers of directory events are registered by the operator; SetEventsIT's receiver is http,
                // fails and times out on purpose, so its retries are quick
                config.put("keyway.operator-token", OPERATOR_TOKEN);
                config.put("keyway.events.allow-http-urls", "true");
                // and listens on loopback, which production refuses to push to
                config.put("keyway.events.push-allowed-ranges", "127.0.0.0/8");
                config.put("keyway.events.delivery-interval", "50ms");
                config.put("keyway.events.delivery-timeout", "2s");
                config.put("keyway.events.initial-backoff", "200ms");
                config.put("keyway.events.max-backoff", "2s");
            }
            if (name.equals("sso-service")) {
                config.put("keyway.operator-token", OPERATOR_TOKEN);
                // the admin portal's test sign-in goes through an IdP stand-in on plain http
                config.put("keyway.sso.allow-http-metadata-urls", "true");
                // OidcRelyingPartyIT's app takes its back-channel logouts on loopback, refused by default
                config.put("keyway.oidc.logout.allowed-ranges", "127.0.0.0/8");
                // domains are verified against this JVM's DNS server, where the tests publish their TXT records
                config.put("keyway.sso.dns.server", TestDns.get().address());
            } else {
                if (name.equals("admin-portal")) {
                    // the portal acts as an organization's owner with owner tokens it asks sso-service for
                    config.put("keyway.operator-token", OPERATOR_TOKEN);
                    config.put("quarkus.rest-client.sso.url", url(region, "sso-service"));
                    config.put("quarkus.rest-client.scim.url", url(region, "scim-service"));
                    config.put("quarkus.rest-client.imports.url", url(region, "import-service"));
                }
                if (name.equals("import-service")) {
                    config.put("keyway.jumpcloud.us-url", JumpCloudStandIn.us().url());
                    config.put("keyway.jumpcloud.eu-url", JumpCloudStandIn.eu().url());
                }
                config.put("mp.jwt.verify.publickey.location", jwks);
            }
            services.put(name, launch(region + "-" + name, port, managementPort, config));
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
        // the JVM the services run on in their images where the test command found one (deploy/local/test.sh)
        command.add(System.getProperty("keyway.system.java", ProcessHandle.current().info().command().orElse("java")));
        command.add("-Xmx384m");
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        // a benchmark may add options to every service, after the settings above so that its -D wins (e.g. a flight
        // recording, or tracing off: -Dkeyway.system.java-options=...)
        String extra = System.getProperty("keyway.system.java-options", "").replace("{service}", label);
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
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
        URI readiness = URI.create(service.managementUrl() + "/q/health/ready");
        // generous: on a loaded build machine four services starting at once have taken close to three minutes
        await(service.name() + " ready (log: " + service.log().toAbsolutePath() + ")").atMost(Duration.ofSeconds(300))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    if (!service.process().isAlive()) {
                        throw new IllegalStateException(service.name() + " exited; the end of "
                                + service.log().toAbsolutePath() + ":\n" + lastLines(service.log(), 15));
                    }
                    try {
                        return http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException notListeningYet) {
                        return false;
                    }
                });
    }

    private static String lastLines(Path log, int count) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException unreadable) {
            return "(unreadable: " + unreadable + ")";
        }
    }

    /** SIGTERM, then as long as a graceful shutdown may take; a service that hangs is killed. */
    private void stop() {
        services.values().forEach(service -> service.process().destroy());
        services.values().forEach(service -> {
            try {
                if (!service.process().waitFor(30, TimeUnit.SECONDS)) {
                    service.process().destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
