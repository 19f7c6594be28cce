package dev.keyway.sso.bench;

import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import dev.keyway.sso.saml.OpenSaml;
import dev.keyway.sso.saml.SamlResponseValidator;
import dev.keyway.sso.saml.SignatureAlgorithms;
import dev.keyway.sso.saml.SignaturePolicy;
import dev.keyway.testsupport.SamlIdp;

/**
 * ACS benchmark, run by hand (deploy/bench/acs-bench.sh), never in CI.
 *
 * <ol>
 * <li>The JDK's own XML-DSig (JSR 105) validating one signed JumpCloud-shaped response, single-threaded: the floor
 * any SAML SP pays.</li>
 * <li>Keyway's whole validation of the same document (hardened parse, every rule, signature by a configured key), in
 * process, one thread: the baseline the sign-ins over HTTP are compared with.</li>
 * <li>With {@code --acs <sso> <scim> <connections> <seconds> <open-loop rate> <workdir>}: sign-ins over HTTP on a
 * running stack (validation, replay cache, user lookup, session, audit), each request a distinct response signed
 * beforehand with the IdP's key (JDK XML-DSig, both cores, not timed). A warm-up of 90 s (closed loop, not counted;
 * {@code -Dacs.bench.warm-up-seconds}) lets the JIT compile the path: on two cores a freshly started stack took 60–70 s
 * of load to reach its steady rate (SCIM POST: 226/s in the first 10 s, 850/s from the seventh 10 s on). Then the
 * maximum rate in a closed loop (wrk, {@code connections}), then latency in an open loop at a fixed rate
 * ({@code OpenLoop.java}: requests on a schedule, latency from when each was due), and the same for the JWKS, which
 * the service answers from memory: the floor of that p99 (HTTP, the JVM and the machine, without SAML or SQL), and
 * the ratio. The ACS emits no events, so there is no outbox to wait for between phases.</li>
 * </ol>
 */
public final class AcsBench {

    private static final Duration MEASURE = Duration.ofSeconds(10);
    /** OpenLoop.java's warm-up at the same rate, before what it counts: each sign-in needs a response of its own. */
    private static final int OPEN_LOOP_WARM_UP_SECONDS = 5;
    private static final String SAML = "urn:oasis:names:tc:SAML:2.0:assertion";

    public static void main(String[] args) throws Exception {
        OpenSaml.initialize();
        boolean acs = args.length > 0 && args[0].equals("--acs");
        if (!acs) {
            SamlIdp idp = SamlIdp.create("https://sso.jumpcloud.com/saml2/bench");
            baselines(idp, "https://api-keyway.test/saml/bench/acs", "https://api-keyway.test/saml/bench/metadata");
            return;
        }
        acs(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                Path.of(args[6]), URI.create(args[7] + "/q/metrics"));
    }

    /** The validation rates of one signed document of the benchmark's shape; returns Keyway's. */
    private static double baselines(SamlIdp idp, String acs, String sp) {
        byte[] signed = signedResponse(idp, acs, sp).getBytes(StandardCharsets.UTF_8);
        double jdk = rate(() -> jdkValidate(signed, idp));
        SamlResponseValidator validator = new SamlResponseValidator();
        SamlResponseValidator.Expectations expected = new SamlResponseValidator.Expectations(idp.entityId(),
                List.of(idp.certificate()), sp, acs, SignaturePolicy.EITHER, Set.of(SignatureAlgorithms.RSA_SHA256),
                Duration.ofMinutes(3), true, null, List.of());
        double keyway = rate(() -> validator.validate(SamlResponseValidator.parse(signed), expected, Instant.now()));
        System.out.printf("jdk.xmldsig_validations_per_s=%.0f (one thread, %d-byte response)%n", jdk, signed.length);
        System.out.printf("keyway.saml_validations_per_s=%.0f (one thread, same document)%n", keyway);
        System.out.printf("ratio: keyway validation = %.2f x JDK XML-DSig validation%n", keyway / jdk);
        return keyway;
    }

    private static double rate(Runnable validation) {
        long warmUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < warmUntil) {
            validation.run();
        }
        long count = 0;
        long started = System.nanoTime();
        long until = started + MEASURE.toNanos();
        while (System.nanoTime() < until) {
            validation.run();
            count++;
        }
        return count / ((System.nanoTime() - started) / 1e9);
    }

    private static void jdkValidate(byte[] xml, SamlIdp idp) {
        try {
            DocumentBuilderFactory factory = FACTORY.get();
            Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
            Element assertion = (Element) document.getElementsByTagNameNS(SAML, "Assertion").item(0);
            assertion.setIdAttribute("ID", true);
            Element signature = (Element) assertion.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature").item(0);
            DOMValidateContext context = new DOMValidateContext(idp.certificate().getPublicKey(), signature);
            if (!SIGNATURES.unmarshalXMLSignature(context).validate(context)) {
                throw new IllegalStateException("the JDK did not validate the signature");
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final XMLSignatureFactory SIGNATURES = XMLSignatureFactory.getInstance("DOM");
    private static final ThreadLocal<DocumentBuilderFactory> FACTORY = ThreadLocal.withInitial(() -> {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory;
    });

    /**
     * A JumpCloud-shaped response (the test IdP's template) whose assertion the IdP's key signs as JumpCloud does
     * (enveloped, exclusive c14n, RSA-SHA256), with the JDK's XML-DSig: tens of thousands are needed, one xmlsec1
     * process each would take longer than the benchmark.
     */
    private static String signedResponse(SamlIdp idp, String acs, String sp) {
        SamlIdp.Response template = idp.response().to(acs, sp).nameId("ada@bench.test", SamlIdp.NAMEID_EMAIL)
                .validity(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofHours(1))).signed(false, false);
        try {
            Document document = FACTORY.get().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(template.xml().getBytes(StandardCharsets.UTF_8)));
            Element assertion = (Element) document.getElementsByTagNameNS(SAML, "Assertion").item(0);
            assertion.setIdAttribute("ID", true);
            Element subject = (Element) assertion.getElementsByTagNameNS(SAML, "Subject").item(0);
            XMLSignatureFactory signatures = XMLSignatureFactory.getInstance("DOM");
            Reference reference = signatures.newReference("#" + template.assertionId(),
                    signatures.newDigestMethod(DigestMethod.SHA256, null),
                    List.of(signatures.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                            signatures.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)),
                    null, null);
            SignedInfo signedInfo = signatures.newSignedInfo(
                    signatures.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE,
                            (C14NMethodParameterSpec) null),
                    signatures.newSignatureMethod(SignatureMethod.RSA_SHA256, null), List.of(reference));
            DOMSignContext context = new DOMSignContext(idp.identity().keys().getPrivate(), assertion, subject);
            context.setDefaultNamespacePrefix("ds");
            signatures.newXMLSignature(signedInfo, null).sign(context);
            StringWriter xml = new StringWriter();
            TransformerFactory.newInstance().newTransformer().transform(new DOMSource(document), new StreamResult(xml));
            return xml.toString();
        } catch (Exception e) {
            throw new IllegalStateException("could not sign a bench response", e);
        }
    }

    private static String form(SamlIdp idp, String acs, String sp) {
        return "SAMLResponse=" + URLEncoder.encode(Base64.getEncoder().encodeToString(
                signedResponse(idp, acs, sp).getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** Writes {@code count} distinct forms, one per line, spread over {@code files} files named prefix.0, prefix.1… */
    private static void writeForms(SamlIdp idp, String acs, String sp, int count, Path prefix, int files)
            throws Exception {
        List<BufferedWriter> writers = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            writers.add(Files.newBufferedWriter(Path.of(prefix + "." + i)));
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService signers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < Runtime.getRuntime().availableProcessors(); t++) {
            done.add(signers.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < count;) {
                    String line = form(idp, acs, sp);
                    BufferedWriter writer = writers.get(i % files);
                    synchronized (writer) {
                        writer.write(line);
                        writer.newLine();
                    }
                }
                return null;
            }));
        }
        for (Future<?> each : done) {
            each.get();
        }
        signers.shutdown();
        for (BufferedWriter writer : writers) {
            writer.close();
        }
    }

    /** The ACS of a running stack: warm-up, closed-loop maximum rate (wrk), open-loop latency (OpenLoop.java). */
    private static void acs(String ssoUrl, String scimUrl, int connections, int seconds, int openRate, Path work,
            URI metrics) throws Exception {
        String operator = System.getenv("KEYWAY_OPERATOR_TOKEN");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String slug = "acs-bench-" + UUID.randomUUID().toString().substring(0, 6);
        send(http, "POST", ssoUrl + "/admin/orgs", operator, "application/json",
                "{\"slug\":\"" + slug + "\",\"displayName\":\"ACS bench\",\"region\":\"api\"}");
        String owner = field(send(http, "POST", ssoUrl + "/admin/orgs/" + slug + "/owner-tokens", operator, null, null),
                "token");
        SamlIdp idp = SamlIdp.create("https://sso.jumpcloud.com/saml2/" + slug);
        String view = send(http, "PUT", ssoUrl + "/admin/orgs/" + slug + "/saml/idp", owner, "application/xml",
                idp.metadata("https://sso.jumpcloud.com/saml2/" + slug, true));
        String acs = field(view, "acsUrl");
        String sp = field(view, "spEntityId");
        // scim-service learns the organization from keyway.orgs.v1: ask until it knows it (bounded)
        String scimToken = null;
        for (int attempt = 0; scimToken == null && attempt < 300; attempt++) {
            HttpResponse<String> issued = request(http, "POST", scimUrl + "/admin/orgs/" + slug + "/scim/tokens", owner,
                    null, null);
            if (issued.statusCode() == 201) {
                scimToken = field(issued.body(), "token");
            } else {
                Thread.sleep(100);
            }
        }
        send(http, "POST", scimUrl + "/scim/v2/Users", scimToken, "application/scim+json",
                "{\"userName\":\"ada@bench.test\",\"emails\":[{\"value\":\"ada@bench.test\",\"primary\":true}]}");
        // sso-service learns the user from keyway.directory.v1: sign in until it knows them (bounded)
        URI acsUri = URI.create(ssoUrl + "/saml/" + slug + "/acs");
        int status = 0;
        for (int attempt = 0; status != 303 && attempt < 300; attempt++) {
            status = http.send(
                    HttpRequest.newBuilder(acsUri).header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form(idp, acs, sp))).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 303) {
                Thread.sleep(100);
            }
        }
        if (status != 303) {
            throw new IllegalStateException("the bench user never signed in (last answer " + status + ")");
        }

        double baseline = baselines(idp, acs, sp);
        Files.createDirectories(work);
        int threads = Math.min(connections, 2);

        // as many as 2,500 sign-ins a second would use (fewer on a busy machine: -Dacs.bench.warm-up-forms); at 1,500
        // the warm-up of a service doing 2,000 a second ran out, and its replays were refused after validation
        int warmUpSeconds = Integer.getInteger("acs.bench.warm-up-seconds", 90);
        int warmUpForms = Integer.getInteger("acs.bench.warm-up-forms", 2500 * warmUpSeconds);
        System.out.printf("signing %d distinct responses for the warm-up…%n", warmUpForms);
        writeForms(idp, acs, sp, warmUpForms, work.resolve("warm-up"), threads);
        Wrk warmUp = wrk(acsUri, work.resolve("warm-up"), threads, connections, warmUpSeconds);
        System.out.printf("warm-up (not counted): %.0f sign-ins/s, %d refused or failed, %d s, %d connections%n",
                warmUp.rate(), warmUp.errors(), warmUpSeconds, connections);

        // enough for the closed loop at three times the warm-up's rate (which averages in the cold start)
        int closedForms = (int) Math.max(4000, warmUp.rate() * seconds * 3);
        System.out.printf("signing %d distinct responses for the closed loop…%n", closedForms);
        writeForms(idp, acs, sp, closedForms, work.resolve("closed"), threads);
        Wrk closed = wrk(acsUri, work.resolve("closed"), threads, connections, seconds);

        int openForms = openRate * (seconds + OPEN_LOOP_WARM_UP_SECONDS);
        System.out.printf("signing %d distinct responses for the open loop…%n", openForms);
        writeForms(idp, acs, sp, openForms, work.resolve("open"), 1);
        Jvm beforeOpen = Jvm.read(http, metrics);
        String open = openLoop("acs", acsUri, "@" + work.resolve("open.0"), openRate, seconds,
                "Content-Type: application/x-www-form-urlencoded");
        Jvm beforeFloor = Jvm.read(http, metrics);
        String floor = openLoop("jwks", URI.create(ssoUrl + "/.well-known/jwks.json"), "-", openRate, seconds);
        Jvm afterFloor = Jvm.read(http, metrics);
        long requests = (long) openRate * (seconds + OPEN_LOOP_WARM_UP_SECONDS);

        System.out.println();
        System.out.printf("baseline: keyway.saml_validations_per_s=%.0f (in process, one thread, same document)%n",
                baseline);
        System.out.printf("acs.closed_loop signins_per_s=%.0f (%d connections, %d s after a %d s warm-up; %d refused or"
                + " failed) ratio=%.2f x in-process validation%n", closed.rate(), connections, seconds, warmUpSeconds,
                closed.errors(), closed.rate() / baseline);
        System.out.printf("acs.open_loop at %d/s for %d s: %s%n", openRate, seconds, open);
        System.out.printf("  sso-service meanwhile: %s%n", beforeFloor.since(beforeOpen, requests));
        System.out.printf("floor: GET /.well-known/jwks.json on the same service (from memory), the same way: %s%n",
                floor);
        System.out.printf("  sso-service meanwhile: %s%n", afterFloor.since(beforeFloor, requests));
        System.out.printf("ratio: acs p99 = %.1f x the floor's p99%n", p99(open) / p99(floor));
    }

    /**
     * What sso-service's JVM says of itself on its management port: bytes allocated (counted at each collection) and
     * its young collections. Each collection stops the service; the fewer bytes a sign-in allocates, the fewer stops.
     */
    private record Jvm(double allocatedBytes, double youngCollections, double youngPauseSeconds) {

        /** Reads the management port's metrics, which need no credentials. */
        static Jvm read(HttpClient http, URI metrics) throws Exception {
            String prometheus = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            double allocated = 0;
            double collections = 0;
            double paused = 0;
            for (String line : prometheus.split("\n")) {
                double value = line.startsWith("#") ? 0 : Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (line.startsWith("jvm_gc_memory_allocated_bytes_total ")) {
                    allocated = value;
                } else if (line.startsWith("jvm_gc_pause_seconds_count{") && line.contains("minor GC")) {
                    collections += value;
                } else if (line.startsWith("jvm_gc_pause_seconds_sum{") && line.contains("minor GC")) {
                    paused += value;
                }
            }
            return new Jvm(allocated, collections, paused);
        }

        String since(Jvm before, long requests) {
            double collections = youngCollections - before.youngCollections;
            return String.format("allocated_kb_per_request=%.0f young_collections=%.0f young_pause_ms_mean=%.1f",
                    (allocatedBytes - before.allocatedBytes) / requests / 1024, collections,
                    collections == 0 ? 0 : (youngPauseSeconds - before.youngPauseSeconds) * 1000 / collections);
        }
    }

    /** The p99 of an OpenLoop.java line, in ms. */
    private static double p99(String openLoop) {
        Matcher p99 = Pattern.compile("p99_ms=([\\d.]+)").matcher(openLoop);
        if (!p99.find()) {
            throw new IllegalStateException("OpenLoop.java said: " + openLoop);
        }
        return Double.parseDouble(p99.group(1));
    }

    private record Wrk(double rate, long errors) {
    }

    /** wrk's closed loop; the rate counts only sign-ins (303), never refusals. */
    private static Wrk wrk(URI acs, Path forms, int threads, int connections, int seconds) throws Exception {
        Path script = Path.of(System.getProperty("acs.bench.dir", "deploy/bench"), "acs-post.lua");
        Process wrk = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "-s", script.toString(), acs.toString(), "--", forms.toString()).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        Matcher requests = Pattern.compile("(\\d+) requests in ([\\d.]+)(ms|s|m)").matcher(out);
        if (!requests.find()) {
            throw new IllegalStateException("wrk said: " + out);
        }
        double elapsed = Double.parseDouble(requests.group(2)) * switch (requests.group(3)) {
            case "ms" -> 0.001;
            case "m" -> 60; // wrk writes 1.50m for a run of 90 s
            default -> 1;
        };
        Matcher refused = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
        Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(out);
        long errors = (refused.find() ? Long.parseLong(refused.group(1)) : 0);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        return new Wrk((Long.parseLong(requests.group(1)) - errors) / elapsed, errors);
    }

    /**
     * OpenLoop.java's line for a POST of each body ({@code @FILE}: a line each), or a GET ({@code -}). With
     * {@code OPEN_LOOP_TRACE=FILE}, each loop's trace goes to FILE.{@code name}, so the floor's does not overwrite the
     * sign-ins'.
     */
    private static String openLoop(String name, URI uri, String bodies, int rate, int seconds, String... headers)
            throws Exception {
        Path openLoop = Path.of(System.getProperty("acs.bench.dir", "deploy/bench"), "open-loop.sh");
        List<String> command = new ArrayList<>(List.of(openLoop.toString(), bodies.equals("-") ? "GET" : "POST",
                uri.toString(), Integer.toString(rate), Integer.toString(seconds), bodies));
        command.addAll(List.of(headers));
        ProcessBuilder loop = new ProcessBuilder(command).redirectErrorStream(true);
        String trace = System.getenv("OPEN_LOOP_TRACE");
        if (trace != null) {
            loop.environment().put("OPEN_LOOP_TRACE", trace + "." + name);
        }
        Process load = loop.start();
        String out = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        load.waitFor();
        return out;
    }

    private static String send(HttpClient http, String method, String url, String bearer, String type, String body)
            throws Exception {
        HttpResponse<String> response = request(http, method, url, bearer, type, body);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + url + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static HttpResponse<String> request(HttpClient http, String method, String url, String bearer, String type,
            String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + bearer)
                .method(method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            request.header("Content-Type", type);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException(name + " not in " + json);
        }
        return matcher.group(1);
    }
}
