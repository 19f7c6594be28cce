import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Open-loop load at a fixed rate, for latency: requests leave on a schedule whatever the answers do, and each
 * latency counts from when its request was due, so a stall shows as the queue it causes (no coordinated omission).
 * wrk (closed loop) measures the maximum rate; this measures latency below it. Run by {@code open-loop.sh}, which
 * brings Vert.x:
 *
 * <pre>
 *   deploy/bench/open-loop.sh METHOD URL RATE SECONDS BODY_FILE|@BODIES_FILE|- HEADER...
 * </pre>
 *
 * It shares the machine's cores with what it measures, so it is built to cost little: one Vert.x event loop sends
 * each request when it is due and reads the answers on kept-alive connections, about 0.4 ms of CPU a request (the
 * JDK's HTTP client it replaced took 1.0 ms: 0.29 of a core at 300 requests/s, against 0.13 now). The first
 * {@value #WARM_UP_SECONDS} s go at the same rate and are not counted: this JVM starts cold, and without a warm-up its
 * own class loading and compiling showed as the service's tail. Every {@code {n}} in the body becomes the request's
 * number, so each POST can create something new; with {@code @BODIES_FILE}, request i sends line i of that file
 * instead (e.g. distinct signed SAML responses; it needs RATE × (SECONDS + {@value #WARM_UP_SECONDS}) lines). Prints
 * one line: {@code rate=… sent=… failed=… warm_up_failed=… p50_ms=… p99_ms=… max_ms=… client_cpu_s=…
 * client_gcs=…}, the last two being the CPU this load generator used while measuring and how often it stopped to
 * collect garbage (open-loop.sh sizes its heap for none); exits 1 if any measured request failed. The warm-up's
 * failures are told apart: its first requests wait for their connections to open and then arrive together, a burst
 * of a few hundred that an overloaded-looking service may refuse (503) and no steady client sends. With
 * {@code OPEN_LOOP_TRACE=FILE} it also writes each measured request's due time, latency and status there, to see
 * whether a tail is spread over the run or comes in stalls (a collection, a checkpoint).
 */
public class OpenLoop {

    static final int WARM_UP_SECONDS = 5;

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    // as many connections as answers are outstanding: an open loop never waits for a free one
    private final HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(1024));
    private final RequestOptions request;
    private final IntFunction<String> body;
    private final int warmUp;
    private final long[] latencies;
    private final int[] statuses;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private final CountDownLatch answered;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong warmUpFailed = new AtomicLong();
    private int next;
    private long cpuAtStart;
    private long collectionsAtStart;
    private long sendingEnded;

    private OpenLoop(RequestOptions request, IntFunction<String> body, double rate, int seconds) {
        this.request = request;
        this.body = body;
        this.warmUp = (int) Math.round(rate * WARM_UP_SECONDS);
        this.latencies = new long[(int) Math.round(rate * seconds)];
        this.statuses = new int[latencies.length];
        this.intervalNanos = (long) (1_000_000_000L / rate);
        this.answered = new CountDownLatch(warmUp + latencies.length);
    }

    public static void main(String[] args) throws Exception {
        double rate = Double.parseDouble(args[2]);
        int seconds = Integer.parseInt(args[3]);
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.valueOf(args[0])).setAbsoluteURI(args[1])
                .setTimeout(30_000);
        for (int h = 5; h < args.length; h++) {
            int colon = args[h].indexOf(':');
            request.addHeader(args[h].substring(0, colon).strip(), args[h].substring(colon + 1).strip());
        }
        long requests = Math.round(rate * WARM_UP_SECONDS) + Math.round(rate * seconds);
        IntFunction<String> body;
        if (args[4].startsWith("@")) {
            List<String> bodies = Files.readAllLines(Path.of(args[4].substring(1)));
            if (bodies.size() < requests) {
                throw new IllegalArgumentException(requests + " requests (with the warm-up) but " + bodies.size()
                        + " bodies in " + args[4]);
            }
            body = bodies::get;
        } else if (args[4].equals("-")) {
            body = i -> "";
        } else {
            String template = Files.readString(Path.of(args[4]));
            String prefix = Long.toString(System.currentTimeMillis(), 36);
            body = i -> template.replace("{n}", prefix + "-" + i);
        }
        System.exit(new OpenLoop(request, body, rate, seconds).run() ? 0 : 1);
    }

    private boolean run() throws Exception {
        // their first call loads the JVM's management classes, a stall of 30-40 ms: not when the measured run begins
        cpuNanos();
        collections();
        vertx.runOnContext(ignored -> sendDue());
        answered.await();
        double clientCpu = (cpuNanos() - cpuAtStart) / 1e9;
        long clientCollections = collections() - collectionsAtStart;
        int total = latencies.length;
        String trace = System.getenv("OPEN_LOOP_TRACE");
        if (trace != null) {
            StringBuilder lines = new StringBuilder("due_ms latency_ms status\n");
            for (int i = 0; i < total; i++) {
                lines.append(String.format("%.3f %.3f %d%n", (due(warmUp + i) - due(warmUp)) / 1e6,
                        latencies[i] / 1e6, statuses[i]));
            }
            Files.writeString(Path.of(trace), lines);
        }
        Arrays.sort(latencies);
        System.out.printf("rate=%.0f sent=%d failed=%d warm_up_failed=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f"
                + " client_cpu_s=%.1f client_gcs=%d%n", total / ((sendingEnded - due(warmUp)) / 1e9), total,
                failed.get(), warmUpFailed.get(), latencies[total / 2] / 1e6, latencies[(int) (total * 0.99)] / 1e6,
                latencies[total - 1] / 1e6, clientCpu, clientCollections);
        return failed.get() == 0;
    }

    /** Sends every request now due, then sleeps until the next is (a timer per due time, not a tick per ms). */
    private void sendDue() {
        long now = System.nanoTime();
        for (; next < warmUp + latencies.length && due(next) <= now; next++) {
            if (next == warmUp) {
                cpuAtStart = cpuNanos();
                collectionsAtStart = collections();
            }
            send(next);
        }
        if (next < warmUp + latencies.length) {
            vertx.setTimer(Math.max(1, (due(next) - now + 999_999) / 1_000_000), ignored -> sendDue());
        } else {
            sendingEnded = now;
        }
    }

    private void send(int i) {
        Buffer payload = Buffer.buffer(body.apply(i), StandardCharsets.UTF_8.name());
        client.request(request).compose(sent -> sent.send(payload))
                .compose(response -> response.body().map(ignored -> response.statusCode()))
                .onComplete(answer -> {
                    if (i >= warmUp) {
                        latencies[i - warmUp] = System.nanoTime() - due(i);
                        statuses[i - warmUp] = answer.failed() ? 0 : answer.result();
                    }
                    if ((answer.failed() || answer.result() >= 400)
                            && (i >= warmUp ? failed : warmUpFailed).getAndIncrement() == 0) {
                        System.err.println((i >= warmUp ? "first failure: " : "first failure in the warm-up: ")
                                + (answer.failed() ? answer.cause() : "HTTP " + answer.result()));
                    }
                    answered.countDown();
                });
    }

    private long due(int i) {
        return start + i * intervalNanos;
    }

    /** This JVM's garbage collections so far: each stops the load generator, and its pause counts as latency. */
    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
