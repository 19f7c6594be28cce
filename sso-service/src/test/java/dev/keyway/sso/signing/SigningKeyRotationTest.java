package dev.keyway.sso.signing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class SigningKeyRotationTest {

    private static final String OPERATOR = "Bearer test-operator-token";

    @Inject
    SigningKeys keys;

    @Inject
    SigningConfig config;

    private static String createOrg() {
        String slug = "keys-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", OPERATOR).contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"displayName\":\"Keys\",\"region\":\"api\"}")
                .post("/admin/orgs").then().statusCode(201);
        return slug;
    }

    private static String ownerToken(String slug) {
        return given().header("Authorization", OPERATOR).post("/admin/orgs/" + slug + "/owner-tokens")
                .then().statusCode(200).extract().path("token");
    }

    private static int statusWith(String token, String slug) {
        return given().auth().oauth2(token).get("/admin/orgs/" + slug).statusCode();
    }

    private static String kidOf(String jwt) throws JoseException {
        return JsonWebStructure.fromCompactSerialization(jwt).getKeyIdHeaderValue();
    }

    private static String statusOf(String kid) {
        return given().header("Authorization", OPERATOR).get("/admin/signing-keys")
                .then().statusCode(200).extract().path("keys.find { it.kid == '" + kid + "' }.status");
    }

    /** As if this much time had passed for the keys: their timestamps move back, then the replica's check runs. */
    private void timePasses(Duration elapsed) {
        TestPostgres.get().execute("update sso.signing_key set created_at = created_at - interval '"
                + elapsed.toSeconds() + " seconds', activates_at = activates_at - interval '" + elapsed.toSeconds()
                + " seconds'");
        keys.maintain().await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void aNewKeyIsPublishedBeforeItSignsAndTheOldOneUntilEveryTokenItSignedHasExpired() throws JoseException {
        String slug = createOrg();
        String signedByOld = ownerToken(slug);
        String oldKid = kidOf(signedByOld);

        String newKid = given().header("Authorization", OPERATOR).post("/admin/signing-keys/rotate")
                .then().statusCode(200).body("status", equalTo("pending")).extract().path("kid");
        assertNotEquals(oldKid, newKid);
        given().get("/.well-known/jwks.json").then().statusCode(200).body("keys.kid", hasItems(oldKid, newKid));
        assertEquals(oldKid, kidOf(ownerToken(slug)), "a key published ahead does not sign yet");

        timePasses(config.publishAhead().plusSeconds(1));
        String signedByNew = ownerToken(slug);
        assertEquals(newKid, kidOf(signedByNew), "once active, the new key signs");
        assertEquals("active", statusOf(newKid));
        assertEquals("superseded", statusOf(oldKid));
        assertEquals(200, statusWith(signedByOld, slug), "tokens the old key signed still verify");
        assertEquals(200, statusWith(signedByNew, slug));

        // owner tokens and sessions live an hour each, and SmallRye JWT allows a minute of skew
        timePasses(Duration.ofMinutes(62));
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys.kid", not(hasItem(oldKid))).body("keys.kid", hasItem(newKid));
        assertEquals(401, statusWith(signedByOld, slug), "a retired key verifies nothing");
        assertEquals(200, statusWith(signedByNew, slug));
        assertNull(TestPostgres.get().queryValue("select private_key from sso.signing_key where kid = ?", oldKid),
                "a retired key's private half is erased");
    }

    @Test
    void onlyTheOperatorSeesAndRotatesTheKeys() {
        String slug = createOrg();
        String owner = ownerToken(slug);

        given().auth().oauth2(owner).post("/admin/signing-keys/rotate")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(owner).get("/admin/signing-keys").then().statusCode(403);
        given().post("/admin/signing-keys/rotate").then().statusCode(401).contentType("application/problem+json");
    }
}
