import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load at a fixed rate, for latency: requests leave on a schedule whatever the answers do, and each
 * latency counts from when its request was due, so a stall shows as the queue it causes (no coordinated omission).
 * wrk (closed loop) measures the maximum rate; this measures latency below it. Runs from source on the JDK alone:
 *
 * <pre>
 *   java OpenLoop.java METHOD URL RATE SECONDS BODY_FILE|@BODIES_FILE|- HEADER...
 * </pre>
 *
 * The first {@value #WARM_UP_SECONDS} s go at the same rate and are not counted: this JVM and its HTTP client start
 * cold, and without a warm-up their own class loading and compiling showed as the service's tail (seconds of
 * latency in the first second). Every {@code {n}} in the body becomes the request's number, so each POST can create
 * something new; with {@code @BODIES_FILE}, request i sends line i of that file instead (e.g. distinct signed SAML
 * responses; it needs RATE × (SECONDS + {@value #WARM_UP_SECONDS}) lines). Prints one line:
 * {@code rate=… sent=… failed=… p50_ms=… p99_ms=… max_ms=… client_cpu_s=…}, the last being the CPU this load
 * generator used while measuring (it shares the machine with what it measures); exits 1 if any request failed.
 */
public class OpenLoop {

    static final int WARM_UP_SECONDS = 5;

    public static void main(String[] args) throws Exception {
        String method = args[0];
        URI uri = URI.create(args[1]);
        double rate = Double.parseDouble(args[2]);
        int seconds = Integer.parseInt(args[3]);
        List<String> bodies = args[4].startsWith("@") ? Files.readAllLines(Path.of(args[4].substring(1))) : null;
        String body = args[4].equals("-") || bodies != null ? null : Files.readString(Path.of(args[4]));
        String prefix = Long.toString(System.currentTimeMillis(), 36);
        int warmUp = (int) Math.round(rate * WARM_UP_SECONDS);
        int total = (int) Math.round(rate * seconds);
        if (bodies != null && bodies.size() < warmUp + total) {
            throw new IllegalArgumentException(warmUp + total + " requests (with the warm-up) but " + bodies.size()
                    + " bodies in " + args[4]);
        }
        long[] latencies = new long[total];
        AtomicLong failed = new AtomicLong();
        CountDownLatch answered = new CountDownLatch(warmUp + total);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long intervalNanos = (long) (1_000_000_000L / rate);
        long start = System.nanoTime();
        long measuredFrom = start + warmUp * intervalNanos;
        long cpuAtStart = 0;
        for (int i = 0; i < warmUp + total; i++) {
            long due = start + i * intervalNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (i == warmUp) {
                cpuAtStart = cpuNanos();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
            for (int h = 5; h < args.length; h++) {
                int colon = args[h].indexOf(':');
                request.header(args[h].substring(0, colon).strip(), args[h].substring(colon + 1).strip());
            }
            request.method(method, bodies != null ? HttpRequest.BodyPublishers.ofString(bodies.get(i))
                    : body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.replace("{n}", prefix + "-" + i), StandardCharsets.UTF_8));
            int index = i - warmUp;
            client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (index >= 0) {
                    latencies[index] = System.nanoTime() - due;
                }
                if (error != null || response.statusCode() >= 400) {
                    if (failed.getAndIncrement() == 0) {
                        System.err.println("first failure: " + (error != null ? error : "HTTP " + response.statusCode()));
                    }
                }
                answered.countDown();
            });
        }
        long sendingEnded = System.nanoTime();
        answered.await();
        double clientCpu = (cpuNanos() - cpuAtStart) / 1e9;
        Arrays.sort(latencies);
        System.out.printf("rate=%.0f sent=%d failed=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f client_cpu_s=%.1f%n",
                total / ((sendingEnded - measuredFrom) / 1e9), total, failed.get(), latencies[total / 2] / 1e6,
                latencies[(int) (total * 0.99)] / 1e6, latencies[total - 1] / 1e6, clientCpu);
        System.exit(failed.get() == 0 ? 0 : 1);
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
