package dev.keyway.sso.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.jose4j.json.JsonUtil;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

import dev.keyway.sso.SsoFixture;
import dev.keyway.sso.signing.SigningKeys;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A session's JWT is signed with HS256 under a key only sso-service holds; nothing else passes for one: not another
 * key, not {@code none}, not the published RSA key used as an HMAC secret. Sessions signed RS256 before (by a
 * published signing key) hold until they expire.
 */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class SessionTokensTest {

    @Inject
    SigningKeys keys;

    @Test
    void aSessionIsSignedWithHs256UnderTheServicesOwnKey() throws Exception {
        String session = signedIn("hs256");

        var header = JsonUtil.parseJson(part(session, 0));
        assertEquals("HS256", header.get("alg"));
        assertTrue(((String) header.get("kid")).startsWith("session-"), header.toString());
        given().cookie(Sessions.COOKIE, session).get("/session").then().statusCode(200)
                .body("email", equalTo("ada@acme.test"));
    }

    @Test
    void theSameClaimsSignedAnyOtherWayAreRefused() throws Exception {
        String session = signedIn("forged");
        String kid = (String) JsonUtil.parseJson(part(session, 0)).get("kid");
        String claims = part(session, 1);

        String otherKey = sign(claims, AlgorithmIdentifiers.HMAC_SHA256, kid,
                new SecretKeySpec("another 32-byte key, not Keyway's".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String publishedKeyAsSecret = sign(claims, AlgorithmIdentifiers.HMAC_SHA256,
                keys.signer().await().indefinitely().kid(),
                new SecretKeySpec(keys.signer().await().indefinitely().publicKey().getEncoded(), "HmacSHA256"));
        String unsigned = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8))
                + "." + session.split("\\.")[1] + ".";

        for (String forged : new String[]{ otherKey, publishedKeyAsSecret, unsigned }) {
            given().cookie(Sessions.COOKIE, forged).get("/session").then().statusCode(401)
                    .body("detail", containsString("invalid-token"));
        }
        given().cookie(Sessions.COOKIE, session).get("/session").then().statusCode(200);
    }

    @Test
    void aSessionSignedRs256BeforeHoldsUntilItEndsAndIsNoOwnerToken() throws Exception {
        SsoFixture org = SsoFixture.create("rs256");
        org.user("ada@acme.test", true);
        String session = session(org);
        SigningKeys.SigningKey key = keys.signer().await().indefinitely();
        String before = sign(part(session, 1), AlgorithmIdentifiers.RSA_USING_SHA256, key.kid(), key.privateKey());

        given().cookie(Sessions.COOKIE, before).get("/session").then().statusCode(200)
                .body("email", equalTo("ada@acme.test"));
        given().auth().oauth2(before).get("/admin/orgs/" + org.slug).then().statusCode(401);
        given().cookie(Sessions.COOKIE, session).post("/session/logout").then().statusCode(204);
        given().cookie(Sessions.COOKIE, before).get("/session").then().statusCode(401);
    }

    private static String signedIn(String prefix) {
        SsoFixture org = SsoFixture.create(prefix);
        org.user("ada@acme.test", true);
        return session(org);
    }

    private static String session(SsoFixture org) {
        String cookie = org.post(org.response("ada@acme.test").xml(), null).then().statusCode(303).extract()
                .cookie(Sessions.COOKIE);
        assertTrue(cookie != null && !cookie.isEmpty(), "a session cookie");
        return cookie;
    }

    private static String part(String jwt, int index) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8);
    }

    private static String sign(String claims, String algorithm, String kid, Key key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims);
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setKeyIdHeaderValue(kid);
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        return jws.getCompactSerialization();
    }
}
