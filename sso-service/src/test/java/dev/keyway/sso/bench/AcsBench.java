package dev.keyway.sso.bench;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.parsers.DocumentBuilderFactory;

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
 * <li>Keyway's whole validation of the same document (hardened parse, every rule, signature by a configured key).</li>
 * <li>With {@code --acs <sso> <scim> <requests> [clients]}: the ACS over HTTP on the running local stack (validation, replay cache, user lookup,
 * session, audit), each request a distinct response signed by xmlsec1.</li>
 * </ol>
 */
public final class AcsBench {

    private static final Duration MEASURE = Duration.ofSeconds(10);

    public static void main(String[] args) throws Exception {
        OpenSaml.initialize();
        SamlIdp idp = SamlIdp.create("https://sso.jumpcloud.com/saml2/bench");
        String acs = "https://api-keyway.test/saml/bench/acs";
        String sp = "https://api-keyway.test/saml/bench/metadata";
        byte[] signed = idp.response().to(acs, sp).nameId("ada@bench.test", SamlIdp.NAMEID_EMAIL)
                .validity(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofHours(2))).xml()
                .getBytes(StandardCharsets.UTF_8);

        double jdk = rate(() -> jdkValidate(signed, idp));
        SamlResponseValidator validator = new SamlResponseValidator();
        SamlResponseValidator.Expectations expected = new SamlResponseValidator.Expectations(idp.entityId(),
                List.of(idp.certificate()), sp, acs, SignaturePolicy.EITHER, Set.of(SignatureAlgorithms.RSA_SHA256),
                Duration.ofMinutes(3), true, null, List.of());
        double keyway = rate(() -> validator.validate(SamlResponseValidator.parse(signed), expected, Instant.now()));
        System.out.printf("jdk.xmldsig_validations_per_s=%.0f (one thread, %d-byte response)%n", jdk, signed.length);
        System.out.printf("keyway.saml_validations_per_s=%.0f (one thread, same document)%n", keyway);
        System.out.printf("ratio: keyway validation = %.2f x JDK XML-DSig validation%n", keyway / jdk);

        if (args.length > 0 && args[0].equals("--acs")) {
            acs(args[1], args[2], Integer.parseInt(args[3]), args.length > 4 ? Integer.parseInt(args[4]) : 4);
        }
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
            Element assertion = (Element) document.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion",
                    "Assertion").item(0);
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

    /** The ACS of the running local stack, one distinct signed response per request, 4 concurrent clients. */
    private static void acs(String ssoUrl, String scimUrl, int requests, int clients) throws Exception {
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
        String scimToken = null;
        for (int attempt = 0; scimToken == null && attempt < 100; attempt++) {
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
        Thread.sleep(2000);

        System.out.printf("signing %d distinct responses with xmlsec1…%n", requests);
        List<String> forms = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String xml = idp.response().to(acs, sp).nameId("ada@bench.test", SamlIdp.NAMEID_EMAIL)
                    .validity(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofHours(1))).xml();
            forms.add("SAMLResponse="
                    + URLEncoder.encode(Base64.getEncoder().encodeToString(xml.getBytes()), StandardCharsets.UTF_8));
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Callable<Long>> posts = new ArrayList<>();
        for (String form : forms) {
            posts.add(() -> {
                long started = System.nanoTime();
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(ssoUrl + "/saml/" + slug + "/acs"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 303) {
                    throw new IllegalStateException("ACS answered " + response.statusCode() + ": " + response.body());
                }
                return System.nanoTime() - started;
            });
        }
        long started = System.nanoTime();
        List<Long> latencies = new ArrayList<>();
        for (Future<Long> latency : pool.invokeAll(posts)) {
            latencies.add(latency.get());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        Collections.sort(latencies);
        System.out.printf("acs.signins_per_s=%.0f p50=%.1fms p99=%.1fms (%d sign-ins, %d clients, HTTP)%n",
                requests / seconds, latencies.get(latencies.size() / 2) / 1e6,
                latencies.get((int) (latencies.size() * 0.99)) / 1e6, requests, clients);
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
