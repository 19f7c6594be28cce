package dev.keyway.imports.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.keyway.common.tenant.Region;
import dev.keyway.imports.jumpcloud.SystemUser;
import dev.keyway.testsupport.AdminTokens;
import dev.keyway.testsupport.FreePorts;
import dev.keyway.testsupport.JumpCloudStandIn;
import dev.keyway.testsupport.JumpCloudStandIn.Org;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.OrgAnnouncements;
import dev.keyway.testsupport.OrgAnnouncements.TestOrg;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;

/**
 * Directory-import benchmark, run by hand (deploy/bench/import-bench.sh), never in CI.
 *
 * <p>A JumpCloud stand-in holds {@code users} users in {@code groups} groups (each user in two). The baseline is a
 * bare JDK HttpClient reading exactly the pages an import reads (every group's membership, every user page),
 * discarding them: the floor set by the stand-in and HTTP, once a request at a time and once {@code concurrency} at
 * a time, as the service reads them. Then the packaged import-service, as its own process (with the JVM options
 * deploy/local/run.sh gives it) on a real PostgreSQL and Kafka, imports every group twice: the first run emits every
 * user, the second finds no change. Printed: time, pages/s and the ratios to both baselines, events/s, the CPU the
 * service, PostgreSQL and this process (the stand-in) used during each run, the requests in flight at the stand-in
 * second by second, and the service's peak RSS. Before the measured runs the service imports the same directory for
 * another organization, twice (not counted): the JIT compiles the import first, as on a service that has run others'
 * imports.
 * Arguments: users, groups, the service's jar, its JVM options, the concurrency.
 */
public final class ImportBench {

    /** One client for every call to the service: a new one per poll would start a selector thread each time. */
    private static final HttpClient SERVICE = HttpClient.newHttpClient();
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[^,}\\]]+)");

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        Path app = Path.of(args.length > 2 ? args[2] : "import-service/target/quarkus-app/quarkus-run.jar");
        List<String> jvmOptions = args.length > 3 && !args[3].isBlank() ? List.of(args[3].trim().split("\\s+"))
                : List.of();
        int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 4;

        JumpCloudStandIn jumpcloud = JumpCloudStandIn.start();
        Org directory = jumpcloud.newOrganization("bench");
        String key = jumpcloud.adminKey(directory);
        List<String> groupIds = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            groupIds.add(directory.addGroup("Group " + g));
        }
        for (int u = 0; u < users; u++) {
            String id = directory.addUser("user" + u, "user" + u + "@bench.test", "First" + u, "Last" + u);
            directory.addMember(groupIds.get(u % groups), id);
            directory.addMember(groupIds.get((u * 7 + 3) % groups), id);
        }
        System.out.printf("directory: %,d users, %,d groups (each user in two)%n", users, groups);

        // the baselines ask what the service asks: the fields the import maps, not JumpCloud's default records
        String fields = URLEncoder.encode(SystemUser.FIELDS, StandardCharsets.UTF_8).replace("+", "%20");
        long started = System.nanoTime();
        Paged sequential = rawPull(jumpcloud.url(), key, groupIds, 1, fields);
        int sequentialPages = sequential.pages();
        double sequentialSeconds = seconds(started);
        System.out.printf("baseline, one request at a time (JDK HttpClient, pages discarded): %,d pages in %.2f s"
                + " = %,.0f pages/s (the members' %,d pages in %.2f s)%n", sequentialPages, sequentialSeconds,
                sequentialPages / sequentialSeconds, sequential.memberPages(), sequential.memberSeconds());
        started = System.nanoTime();
        Duration rawCpu = cpu(ProcessHandle.current());
        Paged raw = rawPull(jumpcloud.url(), key, groupIds, concurrency, fields);
        int rawPages = raw.pages();
        double rawSeconds = seconds(started);
        System.out.printf("baseline, %d requests at a time like the service: %,d pages in %.2f s = %,.0f pages/s"
                + " (the members' %,d pages in %.2f s; CPU used by the stand-in and the client %.1f s of the %d"
                + " cores' %.1f s; a page of users %,d bytes)%n", concurrency, rawPages, rawSeconds,
                rawPages / rawSeconds, raw.memberPages(), raw.memberSeconds(),
                cpu(ProcessHandle.current()).minus(rawCpu).toMillis() / 1e3, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors() * rawSeconds, raw.userPageBytes());
        started = System.nanoTime();
        Duration wholeCpu = cpu(ProcessHandle.current());
        Paged whole = rawPull(jumpcloud.url(), key, groupIds, concurrency, null);
        System.out.printf("for reference, the same with JumpCloud's default records (no fields parameter): %.2f s"
                + " (CPU %.1f s; a page of users %,d bytes)%n", seconds(started),
                cpu(ProcessHandle.current()).minus(wholeCpu).toMillis() / 1e3, whole.userPageBytes());

        TestPostgres postgres = TestPostgres.get();
        TestKafka kafka = TestKafka.get();
        int port = FreePorts.take();
        int management = FreePorts.take();
        Process service = launch(app, jvmOptions, concurrency, port, management, postgres, kafka, jumpcloud);
        int failure = 0;
        try {
            awaitReady(management, service);
            // warm-up, not counted: another organization imports the same directory (its first and its no-change
            // run), so the JIT has compiled the import before the measured runs, as on a service that has run others'
            long warmUp = System.nanoTime();
            Imports warm = Imports.create(port, "warm-up", key, groupIds);
            warm.run(jumpcloud, key, postgres, null, null);
            warm.run(jumpcloud, key, postgres, null, null);
            System.out.printf("warm-up: another organization imported the same directory twice in %.1f s%n",
                    seconds(warmUp));
            Imports measured = Imports.create(port, "bench", key, groupIds);
            double baselineRate = rawPages / rawSeconds;
            double sequentialRate = sequentialPages / sequentialSeconds;
            for (String label : List.of("first run (every user new)", "second run (no change)")) {
                Supplier<Usage> usage = () -> Usage.now(service, postgres.port());
                Usage before = usage.get();
                InFlight inFlight = InFlight.sample(jumpcloud);
                Run run = measured.run(jumpcloud, key, postgres, inFlight, usage);
                System.out.printf("keyway %s: %s, %,d users seen, %,d events, %,d pages in %.2f s = %,.0f pages/s "
                        + "(%.2f× the baseline at %d, %.2f× one at a time), %,.0f events/s%n", label,
                        field(run.finished(), "status"), Integer.parseInt(field(run.finished(), "usersSeen")),
                        run.events(), run.pages(), run.seconds(), run.pages() / run.seconds(),
                        (run.pages() / run.seconds()) / baselineRate, concurrency,
                        (run.pages() / run.seconds()) / sequentialRate, run.events() / run.seconds());
                System.out.printf("  CPU used meanwhile: %s%n", run.used().since(before, run.seconds()));
                System.out.printf("  requests in flight at JumpCloud, sampled every 5 ms: %s%n", inFlight);
                System.out.printf("  outbox drained %.2f s after the run finished%n", run.drainSeconds());
            }
            System.out.printf("import-service peak RSS: %s%n", peakRss(service.pid()));
        } catch (Exception failed) {
            failed.printStackTrace();
            failure = 1;
        } finally {
            service.destroy();
            service.waitFor();
            jumpcloud.close();
        }
        System.exit(failure);
    }

    /** One organization's integration importing every group of the directory. */
    private record Imports(String base, String integration, TestOrg org) {

        static Imports create(int port, String prefix, String key, List<String> groupIds) throws Exception {
            TestOrg org = OrgAnnouncements.announce("imports", prefix, Region.API);
            String body = "{\"name\":\"" + prefix + "\",\"apiKey\":\"" + key + "\",\"dataCenter\":\"us\","
                    + "\"enabled\":false,\"groups\":["
                    + groupIds.stream().map(id -> "{\"jumpcloudGroupId\":\"" + id + "\"}")
                            .collect(Collectors.joining(","))
                    + "]}";
            String base = "http://127.0.0.1:" + port + "/admin/orgs/" + org.slug() + "/imports";
            return new Imports(base, field(send(base, "POST", body, org, 201), "id"), org);
        }

        /**
         * A run, from its start until it finished, then until the outbox is empty; {@code inFlight} ends with it, and
         * {@code usage} is read as it finishes (both null for a run not measured).
         */
        Run run(JumpCloudStandIn jumpcloud, String key, TestPostgres postgres, InFlight inFlight,
                Supplier<Usage> usage) throws Exception {
            int before = jumpcloud.requests(key).size();
            long started = System.nanoTime();
            String run = field(send(base + "/" + integration + "/runs", "POST", "", org, 202), "id");
            String finished;
            do {
                // a run is timed to within this poll; each poll is a GET the service answers meanwhile
                Thread.sleep(10);
                finished = send(base + "/" + integration + "/runs/" + run, "GET", null, org, 200);
            } while (field(finished, "status").equals("running"));
            double took = seconds(started);
            Usage used = usage == null ? null : usage.get();
            if (inFlight != null) {
                inFlight.finish();
            }
            int events = Integer.parseInt(field(finished, "usersCreated"))
                    + Integer.parseInt(field(finished, "usersUpdated"))
                    + Integer.parseInt(field(finished, "usersDeactivated"));
            long publishing = System.nanoTime();
            while (postgres.count("select count(*) from imports.outbox") > 0) {
                Thread.sleep(100);
            }
            return new Run(finished, jumpcloud.requests(key).size() - before, events, took, used,
                    seconds(publishing));
        }
    }

    /**
     * What a run reported, the pages it read, its events, how long it took, the CPU used when it finished (before its
     * events are published) and how long its events took to publish.
     */
    private record Run(String finished, int pages, int events, double seconds, Usage used, double drainSeconds) {
    }

    /** The CPU used so far by the service, PostgreSQL's server (its postmaster and children) and this process. */
    private record Usage(Duration service, Map<Long, Duration> postgres, Duration bench) {

        static Usage now(Process service, int postgresPort) {
            Map<Long, Duration> postgres = new HashMap<>();
            ProcessHandle.allProcesses()
                    .filter(process -> process.info().command().orElse("").endsWith("/postgres") && process.info()
                            .arguments().map(List::of).orElse(List.of()).contains(String.valueOf(postgresPort)))
                    .flatMap(postmaster -> Stream.concat(Stream.of(postmaster), postmaster.descendants()))
                    .forEach(process -> postgres.put(process.pid(), cpu(process)));
            return new Usage(cpu(service.toHandle()), postgres, cpu(ProcessHandle.current()));
        }

        /** What was used since {@code before}, in {@code seconds}; a PostgreSQL process started meanwhile counts whole. */
        String since(Usage before, double seconds) {
            double service = seconds(service().minus(before.service()));
            double postgres = seconds(postgres().entrySet().stream()
                    .map(process -> process.getValue()
                            .minus(before.postgres().getOrDefault(process.getKey(), Duration.ZERO)))
                    .reduce(Duration.ZERO, Duration::plus));
            double bench = seconds(bench().minus(before.bench()));
            int cores = Runtime.getRuntime().availableProcessors();
            return String.format("import-service %.1f s, PostgreSQL %.1f s, the stand-in, Kafka and this driver %.1f s:"
                    + " %.1f s of the %d cores' %.1f s", service, postgres, bench, service + postgres + bench, cores,
                    cores * seconds);
        }

        private static double seconds(Duration cpu) {
            return cpu.toMillis() / 1e3;
        }
    }

    /**
     * What an import reads, as fast as a plain client can, {@code concurrency} requests at a time as the service asks
     * them: each group's membership (groups side by side), then every user page.
     */
    private static Paged rawPull(String url, String key, List<String> groupIds, int concurrency, String fields)
            throws Exception {
        long started = System.nanoTime();
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService threads = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Integer>> groups = new ArrayList<>();
            for (String group : groupIds) {
                groups.add(threads.submit(() -> pageThrough(http, url + "/api/v2/usergroups/" + group
                        + "/membership?sort=id&limit=100&skip=", key)));
            }
            int pages = 0;
            for (Future<Integer> group : groups) {
                pages += group.get();
            }
            int memberPages = pages;
            double memberSeconds = seconds(started);
            String users = url + "/api/systemusers?" + (fields == null ? "" : "fields=" + fields + "&")
                    + "sort=_id&limit=100&skip=";
            List<Future<Integer>> userPages = new ArrayList<>();
            String first = get(http, users + 0, key);
            int count = Integer.parseInt(field(first, "totalCount"));
            for (int skip = 0; skip <= count; skip += 100) {
                int from = skip;
                userPages.add(threads.submit(() -> {
                    get(http, users + from, key);
                    return 1;
                }));
            }
            for (Future<Integer> page : userPages) {
                pages += page.get();
            }
            return new Paged(pages, memberPages, memberSeconds, first.getBytes(StandardCharsets.UTF_8).length);
        } finally {
            threads.shutdown();
        }
    }

    /** What a bare pull read: every page, how long the members' pages took of it, how large a page of users is. */
    private record Paged(int pages, int memberPages, double memberSeconds, int userPageBytes) {
    }

    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static String get(HttpClient http, String url, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("x-api-key", key)
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int pageThrough(HttpClient http, String url, String key) throws Exception {
        int pages = 0;
        // each page starts at the last member of the one before, as the service reads them
        for (int skip = 0;; skip += 99) {
            String body = http.send(HttpRequest.newBuilder(URI.create(url + skip)).header("x-api-key", key)
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString()).body();
            pages++;
            if (body.split("\"_id\"|\"type\":\"user\"", -1).length - 1 < 100) {
                return pages;
            }
        }
    }

    private static Process launch(Path app, List<String> jvmOptions, int concurrency, int port, int management,
            TestPostgres postgres, TestKafka kafka, JumpCloudStandIn jumpcloud) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Dkeyway.jumpcloud.concurrency=" + concurrency,
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + management,
                "-Dkeyway.deployment.urls.api=http://127.0.0.1:" + port,
                "-Dkeyway.deployment.urls.eu=http://127.0.0.1:" + port,
                "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl(),
                "-Dquarkus.datasource.reactive.url=" + postgres.reactiveUrl(),
                "-Dquarkus.datasource.username=" + postgres.username(),
                "-Dquarkus.datasource.password=" + postgres.password(),
                "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "-Dkeyway.encryption.keys=" + KeywayTestStack.TEST_ENCRYPTION_KEY,
                "-Dkeyway.jumpcloud.us-url=" + jumpcloud.url(),
                "-Dmp.jwt.verify.publickey.location=" + AdminTokens.publicKeyFile().toUri(),
                "-Dmp.jwt.verify.issuer=" + AdminTokens.ISSUER,
                "-Dquarkus.http.limits.max-body-size=1M",
                "-jar", app.toString()));
        Path log = Files.createTempFile("import-bench-", ".log");
        System.out.println("import-service log: " + log);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // as deploy/local/run.sh starts the services
        builder.environment().put("MALLOC_ARENA_MAX", System.getenv().getOrDefault("MALLOC_ARENA_MAX", "2"));
        return builder.start();
    }

    private static void awaitReady(int port, Process service) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 600; i++) {
            if (!service.isAlive()) {
                throw new IllegalStateException("import-service exited");
            }
            try {
                if (http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("import-service not ready");
    }

    private static String send(String url, String method, String body, TestOrg org, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + org.ownerToken()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60));
        request.method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = SERVICE.send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private static String field(String json, String name) {
        Matcher matcher = FIELD.matcher(json);
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                return matcher.group(2).replace("\"", "");
            }
        }
        throw new IllegalStateException("no " + name + " in " + json);
    }

    private static String peakRss(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(line -> line.startsWith("VmHWM")).map(line -> line.replaceAll("\\s+", " ").substring(7))
                .findFirst().orElse("unknown");
    }

    /** How many requests the stand-in was answering, sampled while a run reads it, per second of the run. */
    private static final class InFlight extends Thread {

        private final JumpCloudStandIn jumpcloud;
        private final List<String> seconds = new ArrayList<>();
        private volatile boolean running = true;

        private InFlight(JumpCloudStandIn jumpcloud) {
            this.jumpcloud = jumpcloud;
            setDaemon(true);
        }

        static InFlight sample(JumpCloudStandIn jumpcloud) {
            InFlight sampler = new InFlight(jumpcloud);
            sampler.start();
            return sampler;
        }

        @Override
        public void run() {
            long sum = 0;
            int samples = 0;
            long second = System.nanoTime();
            while (running) {
                sum += jumpcloud.inFlight();
                samples++;
                if (System.nanoTime() - second >= 1_000_000_000L) {
                    seconds.add(String.format("%.1f", (double) sum / samples));
                    sum = 0;
                    samples = 0;
                    second = System.nanoTime();
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void finish() throws InterruptedException {
            running = false;
            join();
        }

        @Override
        public String toString() {
            return "mean per second " + String.join(" ", seconds);
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
