package dev.keyway.sso.connection;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyway.sso.SsoFixture;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The public SP metadata page and the owner's view show certificates only: they work while every private key of the
 * organization is unopenable, which only signing or decrypting would notice.
 */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class SpMetadataWithoutPrivateKeysTest {

    @Inject
    SamlConnections connections;

    @Test
    void metadataAndTheAdminViewNeverUnsealAPrivateKey() {
        SsoFixture org = SsoFixture.create("unsealed");
        String base = "/admin/orgs/" + org.slug + "/saml/sp-certificates";
        given().auth().oauth2(org.owner).post(base + "?use=signing").then().statusCode(201);
        given().auth().oauth2(org.owner).post(base + "?use=encryption").then().statusCode(201);

        // sealed with a key id this service does not have: opening any of them now fails
        TestPostgres.get().queryValue("update sso.sp_key set private_key = 'v1:no-such-key:AAAA'"
                + " where org_id = ?::uuid returning 1", org.orgId.toString());
        SamlConnection connection = connections.load(org.slug).await().atMost(Duration.ofSeconds(10));
        assertThrows(IllegalStateException.class, () -> connection.signingKey().orElseThrow().privateKey());
        assertThrows(IllegalStateException.class, () -> connection.encryptionKey().orElseThrow().privateKey());

        given().get("/saml/" + org.slug + "/metadata").then().statusCode(200)
                .body(containsString(der(connection.signingKey().orElseThrow())))
                .body(containsString(der(connection.encryptionKey().orElseThrow())));
        given().auth().oauth2(org.owner).get("/admin/orgs/" + org.slug + "/saml").then().statusCode(200)
                .body("spCertificates", hasSize(2));
    }

    private static String der(SamlConnection.SpKey key) {
        return Certificates.base64(key.certificate());
    }
}
