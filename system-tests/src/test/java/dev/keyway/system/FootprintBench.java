package dev.keyway.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.keyway.testsupport.AdminTokens;
import dev.keyway.testsupport.FreePorts;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;

/**
 * Start-up time and idle footprint of each packaged service, run by hand (deploy/bench/footprint.sh), never in CI.
 *
 * <p>Each service is started alone (nothing else of Keyway running) on a real PostgreSQL and Kafka, in the production
 * profile with the environment deploy/local/run.sh gives it and the JVM options it gives every service (the first
 * argument). Twice: the first start also migrates its schema, the second is a restart. Printed per start: the time
 * from launching the JVM to a 200 from {@code /q/health/ready} (polled every 20 ms), Quarkus' own "started in", the
 * resident set size (RSS) after {@code idle} seconds of doing nothing, and its peak during start-up; then the goals
 * (ready ≤ 3 s, idle RSS ≤ 250 MiB). Arguments: JVM options, idle seconds, the checkout, the services (comma-separated,
 * default all four).
 */
public final class FootprintBench {

    private static final List<String> SERVICES = List.of("sso-service", "scim-service", "import-service",
            "admin-portal");
    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");
    private static final double READY_GOAL_SECONDS = 3.0;
    private static final long IDLE_RSS_GOAL_MIB = 250;

    public static void main(String[] args) throws Exception {
        List<String> jvmOptions = args.length > 0 && !args[0].isBlank() ? Arrays.asList(args[0].trim().split("\\s+"))
                : List.of();
        int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path root = Path.of(args.length > 2 ? args[2] : ".");
        List<String> services = args.length > 3 ? List.of(args[3].split(",")) : SERVICES;
        TestPostgres postgres = TestPostgres.get();
        TestKafka kafka = TestKafka.get();
        System.out.printf("JVM options: %s; idle: %d s; ready polled every 20 ms%n", String.join(" ", jvmOptions),
                idleSeconds);
        System.out.printf("%-15s %-8s %9s %12s %14s %14s%n", "service", "start", "ready", "started in",
                "idle RSS", "start-up peak");
        boolean met = true;
        for (String service : services) {
            for (String start : List.of("first", "restart")) {
                Measured measured = measure(root, service, jvmOptions, idleSeconds, postgres, kafka);
                boolean ok = measured.readySeconds <= READY_GOAL_SECONDS && measured.idleRssMib <= IDLE_RSS_GOAL_MIB;
                met &= ok || start.equals("first");
                System.out.printf("%-15s %-8s %8.2fs %11s %10d MiB %10d MiB  %s%n", service, start,
                        measured.readySeconds, measured.startedIn, measured.idleRssMib, measured.peakRssMib,
                        ok ? "meets the goal" : "MISSES the goal");
            }
        }
        System.out.printf(
                "goals: ready ≤ %.0f s, idle RSS ≤ %d MiB (on the restart; the first start also migrates): %s%n",
                READY_GOAL_SECONDS, IDLE_RSS_GOAL_MIB, met ? "met" : "NOT met");
        System.exit(0);
    }

    private record Measured(double readySeconds, String startedIn, long idleRssMib, long peakRssMib) {
    }

    private static Measured measure(Path root, String service, List<String> jvmOptions, int idleSeconds,
            TestPostgres postgres, TestKafka kafka) throws Exception {
        int port = FreePorts.take();
        int management = FreePorts.take();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar").toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Path log = Files.createTempFile("footprint-" + service + "-", ".log");
        builder.redirectOutput(log.toFile());
        builder.environment().putAll(environment(service, port, management, postgres, kafka));
        long launched = System.nanoTime();
        Process process = builder.start();
        try {
            double ready = awaitReady(management, process, launched, log);
            Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
            Map<String, Long> status = status(process.pid());
            Matcher started = STARTED.matcher(Files.readString(log));
            return new Measured(ready, started.find() ? started.group(1) + "s" : "?", status.get("VmRSS") / 1024,
                    status.get("VmHWM") / 1024);
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** What deploy/local/run.sh sets for a service (the production profile has no defaults for these). */
    private static Map<String, String> environment(String service, int port, int management, TestPostgres postgres,
            TestKafka kafka) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KEYWAY_DEPLOYMENT_REGION", "api");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(management));
        env.put("KEYWAY_DEPLOYMENT_URLS_API", "http://localhost:" + port);
        env.put("KEYWAY_DEPLOYMENT_URLS_EU", "http://localhost:" + port);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        // no sso-service runs beside it: owner tokens would be verified with this key (none is presented here)
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", AdminTokens.publicKeyFile().toUri().toString());
        env.put("KEYWAY_OPERATOR_TOKEN", "footprint-operator-token");
        env.put("KEYWAY_ENCRYPTION_KEYS", KeywayTestStack.TEST_ENCRYPTION_KEY);
        env.put("MALLOC_ARENA_MAX", System.getenv().getOrDefault("MALLOC_ARENA_MAX", "2"));
        if (service.equals("admin-portal")) {
            // the services it calls are not running; it calls them only when a page is asked for
            for (String called : List.of("SSO", "SCIM", "IMPORTS")) {
                env.put("KEYWAY_PORTAL_" + called + "_URL", "http://localhost:" + FreePorts.take());
            }
        }
        return env;
    }

    private static double awaitReady(int management, Process process, long launched, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI readiness = URI.create("http://127.0.0.1:" + management + "/q/health/ready");
        while (System.nanoTime() - launched < TimeUnit.SECONDS.toNanos(120)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - launched) / 1e9;
                }
            } catch (IOException notListeningYet) {
                // still starting
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("not ready within 120 s; see " + log);
    }

    /** The kB figures of /proc/<pid>/status. */
    private static Map<String, Long> status(long pid) throws IOException {
        Map<String, Long> status = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            String[] parts = line.split("\\s+");
            if (parts.length == 3 && parts[2].equals("kB")) {
                status.put(parts[0].substring(0, parts[0].length() - 1), Long.parseLong(parts[1]));
            }
        }
        return status;
    }
}
