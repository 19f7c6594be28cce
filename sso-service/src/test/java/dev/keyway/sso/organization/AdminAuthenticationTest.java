package dev.keyway.sso.organization;

import static dev.keyway.sso.organization.OrganizationsTest.OPERATOR;
import static dev.keyway.sso.organization.OrganizationsTest.createOrg;
import static dev.keyway.sso.organization.OrganizationsTest.uniqueSlug;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.hamcrest.Matchers;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

import dev.keyway.common.auth.KeywayClaims;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.sso.signing.SigningKeys;
import dev.keyway.testsupport.AdminTokens;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;

@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class AdminAuthenticationTest {

    @Inject
    SigningKeys keys;

    static String ownerToken(String slug) {
        return given().header("Authorization", OPERATOR).post("/admin/orgs/" + slug + "/owner-tokens")
                .then().statusCode(200).extract().path("token");
    }

    @Test
    void anOwnerTokenIsAnRs256JwtForOneOrganizationVerifiableWithThePublishedKeys() throws Exception {
        String slug = uniqueSlug("owner");
        String orgId = createOrg(slug);
        String token = ownerToken(slug);

        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer("keyway")
                .setExpectedAudience(KeywayClaims.ADMIN_AUDIENCE)
                .build().processToClaims(token);

        assertEquals(orgId, claims.getClaimValueAsString(KeywayClaims.ORG_ID));
        assertEquals(slug, claims.getClaimValueAsString(KeywayClaims.ORG_SLUG));
        assertEquals("api", claims.getClaimValueAsString(KeywayClaims.REGION));
        assertEquals(List.of(KeywayClaims.OWNER), claims.getStringListClaimValue(KeywayClaims.ROLES));
        assertTrue(claims.getExpirationTime().getValueInMillis() > System.currentTimeMillis());
        assertEquals("RS256", new String(Base64.getUrlDecoder().decode(token.split("\\.")[0])).replaceAll(
                ".*\"alg\":\"([^\"]+)\".*", "$1"));
    }

    @Test
    void anOwnerSeesTheirOrganizationAndNoOther() {
        String mine = uniqueSlug("mine");
        String theirs = uniqueSlug("theirs");
        createOrg(mine);
        createOrg(theirs);
        String token = ownerToken(mine);

        given().auth().oauth2(token).get("/admin/orgs/" + mine).then().statusCode(200).body("slug", equalTo(mine));
        given().auth().oauth2(token).get("/admin/orgs/" + theirs)
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        given().auth().oauth2(token).post("/admin/orgs/" + theirs + "/owner-tokens").then().statusCode(403);
    }

    @Test
    void onlyTheOperatorRegistersOrganizationsAndIssuesOwnerTokens() {
        String slug = uniqueSlug("limits");
        createOrg(slug);
        String token = ownerToken(slug);

        given().auth().oauth2(token).contentType("application/json")
                .body("{\"slug\":\"sneaky\",\"displayName\":\"Sneaky\",\"region\":\"api\"}")
                .post("/admin/orgs").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(token).post("/admin/orgs/" + slug + "/owner-tokens").then().statusCode(403);
    }

    @Test
    void missingTamperedExpiredOrForeignTokensAreUnauthorized() {
        String slug = uniqueSlug("guarded");
        String orgId = createOrg(slug);
        String token = ownerToken(slug);
        String[] parts = token.split("\\.");
        String otherClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(new String(
                Base64.getUrlDecoder().decode(parts[1])).replace(slug, slug + "x").getBytes());
        String tampered = parts[0] + "." + otherClaims + "." + parts[2];
        SigningKeys.SigningKey key = keys.signer().await().indefinitely();
        String expired = Jwt.issuer("keyway").audience(KeywayClaims.ADMIN_AUDIENCE).subject("owner:" + slug)
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600))
                .claim(KeywayClaims.ORG_SLUG, slug).groups(Set.of(KeywayClaims.OWNER))
                .jws().keyId(key.kid()).sign(key.privateKey());
        String session = Jwt.issuer("keyway").audience(KeywayClaims.SESSION_AUDIENCE).subject("user")
                .claim(KeywayClaims.ORG_SLUG, slug).groups(Set.of(KeywayClaims.OWNER))
                .jws().keyId(key.kid()).sign(key.privateKey());

        given().get("/admin/orgs/" + slug).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json");
        for (String bad : new String[]{ tampered, expired, session, "not-a-jwt", "test-operator-tokenx",
                AdminTokens.forgedOwner(OrgId.parse(orgId), slug) }) {
            given().auth().oauth2(bad).get("/admin/orgs/" + slug)
                    .then().statusCode(401).contentType("application/problem+json");
        }
    }

    @Test
    void theJwksListsTheCurrentSigningKey() {
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys.kid", hasItem(keys.signer().await().indefinitely().kid()))
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].d", Matchers.nullValue());
    }
}
