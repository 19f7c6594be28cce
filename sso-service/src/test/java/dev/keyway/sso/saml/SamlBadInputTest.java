package dev.keyway.sso.saml;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.keyway.sso.SsoFixture;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Bad input to the SAML endpoints, one row each: never a 5xx. At the ACS every refusal is the refusal page and the
 * organization's login audit records its typed reason; the login and metadata routes answer 4xx in their own format
 * (a refusal page, problem+json) or go on normally.
 */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class SamlBadInputTest {

    private static SsoFixture org;

    private static synchronized SsoFixture org() {
        if (org == null) {
            org = SsoFixture.create("bad-input");
        }
        return org;
    }

    /** What came back: status, content type, body. */
    record Answer(int status, String contentType, String body) {

        static Answer of(Response response) {
            return new Answer(response.statusCode(), String.valueOf(response.contentType()), response.asString());
        }
    }

    /** A row: what is sent, and the reason the login audit must record (null: the ACS is not reached). */
    record Row(String name, Function<SsoFixture, Answer> request, String loggedReason) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> acs() {
        return Stream.of(
                acsForm("empty SAMLResponse", "", "malformed"),
                acsForm("only whitespace", " \t\r\n ", "malformed"),
                acsForm("not base64", "%%% not base64 %%%", "malformed"),
                acsForm("base64 of plain text", base64("hello, ACS"), "malformed"),
                acsForm("base64 of HTML", base64("<html><body>not saml</body></html>"), "malformed"),
                acsForm("an AuthnRequest instead of a Response", base64("<samlp:AuthnRequest xmlns:samlp="
                        + "\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_x\" Version=\"2.0\" IssueInstant=\"2026-01-01T00:00:00Z\"/>"),
                        "malformed"),
                acsForm("truncated XML",
                        base64("<saml2p:Response xmlns:saml2p=\"urn:oasis:names:tc:SAML:2.0:protocol\">"),
                        "malformed"),
                acsForm("larger than a response may be", "A".repeat(SamlResponseValidator.MAX_BYTES * 4 / 3 + 8),
                        "too-large"),
                row("DOCTYPE with an external entity", o -> postXml(o, "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x "
                        + "SYSTEM \"file:///etc/passwd\">]>" + stripDeclaration(o.response("ada@acme.test").xml())
                                .replace("ada@acme.test<", "&x;<")),
                        "dtd-forbidden"),
                row("100k-deep nesting compressed by the form (under the size limit)", o -> postXml(o,
                        o.response("ada@acme.test").xml().replace("</saml2p:Response>", "<saml2p:Extensions>"
                                + "<a>".repeat(18_000) + "</a>".repeat(18_000)
                                + "</saml2p:Extensions></saml2p:Response>")),
                        "malformed"),
                row("DigestMethod without Algorithm", o -> postXml(o, o.response("ada@acme.test").xml().replace(
                        "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>",
                        "<ds:DigestMethod/>")),
                        "signature-invalid"),
                row("not UTF-8 though declared so", o -> postBytes(o, invalidUtf8(o)), "malformed"),
                row("a NUL character", o -> postXml(o, o.response("ada@acme.test").xml().replace("ada@acme.test<",
                        "ada\u0000@acme.test<")), "malformed"),
                row("deflated as for the Redirect binding, posted", o -> form(o).formParam("SAMLResponse",
                        deflate(o.response("ada@acme.test").xml())).post(acs(o)), "malformed"),
                row("form field without SAMLResponse", o -> form(o).formParam("RelayState", "/x").post(acs(o)),
                        "malformed"),
                row("invalid percent-encoding in the form", o -> given().redirects().follow(false)
                        .contentType("application/x-www-form-urlencoded").body("SAMLResponse=%zz%").post(acs(o)),
                        "malformed"),
                row("SAMLResponse given twice",
                        o -> form(o).formParam("SAMLResponse", base64(o.response("ada@acme.test")
                                .xml())).formParam("SAMLResponse", base64(o.response("admin@acme.test").xml()))
                                .post(acs(o)),
                        "malformed"),
                row("XML body (not a form)", o -> given().redirects().follow(false).contentType(ContentType.XML)
                        .body(o.response("ada@acme.test").xml()).post(acs(o)), "binding-not-supported"),
                row("JSON body", o -> given().redirects().follow(false).contentType(ContentType.JSON)
                        .body("{\"SAMLResponse\":\"x\"}").post(acs(o)), "binding-not-supported"),
                row("multipart form", o -> given().redirects().follow(false).multiPart("SAMLResponse",
                        base64(o.response("ada@acme.test").xml())).post(acs(o)), "binding-not-supported"),
                row("GET to the ACS", o -> given().redirects().follow(false).get(acs(o)), "binding-not-supported"),
                row("GET to the ACS with a SAMLResponse query", o -> given().redirects().follow(false)
                        .queryParam("SAMLResponse", deflate(o.response("ada@acme.test").xml())).get(acs(o)),
                        "binding-not-supported"));
    }

    static Stream<Arguments> otherRoutes() {
        return Stream.of(
                row("login: returnTo with control characters", o -> given().redirects().follow(false)
                        .urlEncodingEnabled(false).get("/saml/" + o.slug + "/login?returnTo=%00%0d%0a%09/x"), null),
                raw("login: returnTo with a broken escape", o -> "/saml/" + o.slug + "/login?returnTo=%zz"),
                raw("login: a path with a broken escape", o -> "/saml/%zz/login"),
                raw("metadata: a path with a broken escape", o -> "/saml/" + o.slug + "%/metadata"),
                row("login: a 3000-character returnTo", o -> given().redirects().follow(false)
                        .queryParam("returnTo", "/" + "x".repeat(3000)).get("/saml/" + o.slug + "/login"), null),
                row("login: an unknown organization", o -> given().redirects().follow(false)
                        .get("/saml/nobody-" + o.slug + "/login"), null),
                row("login: a slug that is no slug", o -> given().redirects().follow(false).urlEncodingEnabled(false)
                        .get("/saml/%00%20..%2F/login"), null),
                row("login: a 1000-character slug", o -> given().redirects().follow(false)
                        .get("/saml/" + "a".repeat(1000) + "/login"), null),
                row("metadata: an unknown organization", o -> given().get("/saml/nobody-" + o.slug + "/metadata"),
                        null),
                row("metadata: a slug that is no slug", o -> given().urlEncodingEnabled(false)
                        .get("/saml/%C0%AF%00/metadata"), null),
                row("metadata: POST", o -> given().contentType(ContentType.XML).body("<x/>")
                        .post("/saml/" + o.slug + "/metadata"), null),
                row("ACS of an unknown organization", o -> form(o).formParam("SAMLResponse", "PHg+")
                        .post("/saml/nobody-" + o.slug + "/acs"), null));
    }

    @ParameterizedTest(name = "ACS: {0}")
    @MethodSource("acs")
    void theAcsRefusesWithAPageAndATypedReason(Row row) {
        SsoFixture o = org();
        Answer response = row.request().apply(o);

        int status = response.status();
        assertTrue(status >= 400 && status < 500, row + ": status " + status + " " + response.body());
        assertTrue(response.contentType().startsWith("text/html"), row + ": " + response.contentType());
        Rejection shown = Rejection.valueOf(row.loggedReason().toUpperCase(Locale.ROOT).replace('-', '_')).outward();
        assertTrue(response.body().contains("<code>" + shown.code() + "</code>"), row + ": " + response.body());
        assertEquals(row.loggedReason(), lastReason(o), row.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherRoutes")
    void theOtherSamlRoutesNeverAnswer5xx(Row row) {
        Answer response = row.request().apply(org());

        int status = response.status();
        assertTrue(status < 500, row + ": status " + status + " " + response.body());
        // a request line the HTTP layer cannot decode is answered 400 before any route, with no body at all
        if (status >= 400 && !response.body().isEmpty()) {
            String type = response.contentType();
            assertTrue(type.startsWith("application/problem+json") || type.startsWith("text/html"),
                    row + ": " + status + " " + type);
        }
    }

    // ---- helpers shared with the other ACS tests

    /** The reason of the organization's newest login attempt, as its owner reads the audit. */
    static String lastReason(SsoFixture org) {
        List<String> reasons = given().auth().oauth2(org.owner).get("/admin/orgs/" + org.slug + "/saml/logins?limit=1")
                .then().statusCode(200).extract().path("reason");
        return reasons.isEmpty() ? null : reasons.get(0);
    }

    /** Starts an SP-initiated sign-in and returns the id of the AuthnRequest now pending. */
    static String pendingRequest(SsoFixture org) throws Exception {
        String location = given().redirects().follow(false).get("/saml/" + org.slug + "/login").getHeader("Location");
        Matcher id = Pattern.compile("\\sID=\"([^\"]+)\"").matcher(SamlSignInTest.authnRequest(location));
        assertTrue(id.find(), location);
        return id.group(1);
    }

    private static Arguments acsForm(String name, String samlResponse, String reason) {
        return row(name, o -> form(o).formParam("SAMLResponse", samlResponse).post(acs(o)), reason);
    }

    private static Arguments row(String name, Function<SsoFixture, Response> request, String reason) {
        return Arguments.of(new Row(name, request.andThen(Answer::of), reason));
    }

    /** A request line no HTTP client library will send (a broken percent-escape), written to the socket as is. */
    private static Arguments raw(String name, Function<SsoFixture, String> path) {
        return Arguments.of(new Row(name, o -> {
            try (Socket socket = new Socket("localhost", RestAssured.port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET " + path.apply(o) + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                Matcher status = Pattern.compile("^HTTP/1\\.1 (\\d{3})").matcher(answer);
                assertTrue(status.find(), answer);
                Matcher type = Pattern.compile("(?im)^content-type:\\s*(\\S+)").matcher(answer);
                return new Answer(Integer.parseInt(status.group(1)), type.find() ? type.group(1) : "none",
                        answer.substring(answer.indexOf("\r\n\r\n") + 4));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, null));
    }

    private static RequestSpecification form(SsoFixture o) {
        return given().redirects().follow(false).contentType(ContentType.URLENC);
    }

    private static String acs(SsoFixture o) {
        return "/saml/" + o.slug + "/acs";
    }

    private static Response postXml(SsoFixture o, String xml) {
        return postBytes(o, xml.getBytes(StandardCharsets.UTF_8));
    }

    private static Response postBytes(SsoFixture o, byte[] xml) {
        return form(o).formParam("SAMLResponse", Base64.getEncoder().encodeToString(xml)).post(acs(o));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String stripDeclaration(String xml) {
        return xml.replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "");
    }

    /** A signed response whose NameID holds a byte sequence that is not UTF-8. */
    private static byte[] invalidUtf8(SsoFixture o) {
        String xml = o.response("ada@acme.test").xml();
        int at = xml.indexOf("ada@acme.test<");
        byte[] head = xml.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] tail = xml.substring(at).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes(new byte[]{ (byte) 0xC3, (byte) 0x28, (byte) 0xFF });
        out.writeBytes(tail);
        return out.toByteArray();
    }

    /** Base64 of raw DEFLATE, as the HTTP-Redirect binding encodes a message. */
    private static String deflate(String xml) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(xml.getBytes(StandardCharsets.UTF_8));
        deflater.finish();
        byte[] buffer = new byte[xml.length() + 64];
        int length = deflater.deflate(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer, length));
    }
}
