package dev.keyway.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keyway.common.event.Topics;
import dev.keyway.system.OtlpReceiver.ReceivedSpan;
import dev.keyway.testsupport.SamlIdp;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The consistency the product promises across services: a user provisioned by SCIM can sign in through SAML, and
 * deactivating them through SCIM refuses their next sign-in and ends their session, within a measured delay; the
 * deactivation and sso-service's handling of it are one trace in what the services export over OTLP.
 */
class DeactivationEndsSessionsIT {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeywaySystem system = KeywaySystem.get();

    @Test
    void scimDeactivationRefusesTheNextSignInAndEndsTheSession() {
        String slug = "consistent-" + UUID.randomUUID().toString().substring(0, 8);
        given().baseUri(system.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN).contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"displayName\":\"Consistent\",\"region\":\"api\"}")
                .post("/admin/orgs").then().statusCode(201);
        String owner = given().baseUri(system.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .post("/admin/orgs/" + slug + "/owner-tokens").then().extract().path("token");
        SamlIdp idp = SamlIdp.create("https://sso.jumpcloud.com/saml2/" + slug);
        var saml = given().baseUri(system.sso().url()).auth().oauth2(owner).contentType("application/xml")
                .body(idp.metadata("https://sso.jumpcloud.com/saml2/" + slug, true))
                .put("/admin/orgs/" + slug + "/saml/idp").then().statusCode(200).extract();
        String acs = saml.path("acsUrl");
        String spEntityId = saml.path("spEntityId");
        String scimToken = await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(system.scim().url())
                .auth().oauth2(owner).post("/admin/orgs/" + slug + "/scim/tokens"),
                response -> response.statusCode() == 201)
                .path("token");

        String user = given().baseUri(system.scim().url()).basePath("/scim/v2").auth().oauth2(scimToken)
                .contentType("application/scim+json")
                .body("{\"userName\":\"ada@" + slug
                        + ".test\",\"name\":{\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"},"
                        + "\"emails\":[{\"value\":\"ada@" + slug + ".test\",\"primary\":true}]}")
                .post("/Users").then().statusCode(201).extract().path("id");

        String session = await().atMost(Duration.ofSeconds(30)).until(() -> signIn(idp, acs, spEntityId, slug),
                response -> response.statusCode() == 303).getCookie("keyway_session");
        assertNotNull(session);
        given().baseUri(system.sso().url()).cookie("keyway_session", session).get("/session").then().statusCode(200);

        // the deactivation starts a trace of its own, so the spans of every service that handles it can be found
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        long deactivated = System.nanoTime();
        given().baseUri(system.scim().url()).basePath("/scim/v2").auth().oauth2(scimToken)
                .header("traceparent", "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01")
                .contentType("application/scim+json")
                .body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                        + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}")
                .patch("/Users/" + user).then().statusCode(200);
        await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(10)).until(() -> given()
                .baseUri(system.sso().url()).cookie("keyway_session", session).get("/session").statusCode() == 401);
        long delayMillis = (System.nanoTime() - deactivated) / 1_000_000;
        System.out.println("sso.deactivation_to_session_refused_ms=" + delayMillis);

        signIn(idp, acs, spEntityId, slug).then().statusCode(403).body(containsString("user-inactive"));

        // one trace: scim-service's PATCH, and sso-service applying its event (which ended the session)
        OtlpReceiver otlp = OtlpReceiver.get();
        await().atMost(Duration.ofSeconds(20)).until(() -> otlp.trace(traceId).stream()
                .anyMatch(span -> span.service().equals("sso-service") && span.kind() == SpanKind.SPAN_KIND_CONSUMER));
        List<ReceivedSpan> trace = otlp.trace(traceId);
        assertTrue(trace.stream().anyMatch(span -> span.service().equals("scim-service")
                && span.kind() == SpanKind.SPAN_KIND_SERVER && span.name().startsWith("PATCH")), trace::toString);
        ReceivedSpan consumed = trace.stream().filter(span -> span.service().equals("sso-service")
                && span.kind() == SpanKind.SPAN_KIND_CONSUMER).findFirst().orElseThrow();
        assertTrue(consumed.name().contains(Topics.DIRECTORY), consumed::toString);

        given().baseUri(system.scim().url()).basePath("/scim/v2").auth().oauth2(scimToken)
                .contentType("application/scim+json")
                .body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                        + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":true}]}")
                .patch("/Users/" + user).then().statusCode(200);
        String again = await().atMost(Duration.ofSeconds(10)).until(() -> signIn(idp, acs, spEntityId, slug),
                response -> response.statusCode() == 303).getCookie("keyway_session");

        given().baseUri(system.scim().url()).basePath("/scim/v2").auth().oauth2(scimToken).delete("/Users/" + user)
                .then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> given().baseUri(system.sso().url())
                .cookie("keyway_session", again).get("/session").statusCode() == 401);
        signIn(idp, acs, spEntityId, slug).then().statusCode(403).body(containsString("user-unknown"));
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private Response signIn(SamlIdp idp, String acs, String spEntityId, String slug) {
        String xml = idp.response().to(acs, spEntityId).nameId("ada@" + slug + ".test", SamlIdp.NAMEID_EMAIL).xml();
        return given().baseUri(system.sso().url()).redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("SAMLResponse", Base64.getEncoder().encodeToString(xml.getBytes()))
                .post("/saml/" + slug + "/acs");
    }
}
