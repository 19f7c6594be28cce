package dev.keyway.scim.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import dev.keyway.testsupport.AdminTokens;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.OrgAnnouncements;
import dev.keyway.testsupport.OrgAnnouncements.TestOrg;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class ScimTokensAdminTest {

    @Test
    void anOwnerIssuesListsAndRevokesTokensWhoseSecretIsShownOnceAndStoredHashed() {
        TestOrg org = OrgAnnouncements.announce("scim", "tokens", Region.API);
        String path = "/admin/orgs/" + org.slug() + "/scim/tokens";

        String token = given().auth().oauth2(org.ownerToken()).post(path)
                .then().statusCode(201)
                .header("Cache-Control", "no-store")
                .body("token", startsWith("kws_api_"))
                .body("apiKey", startsWith("kwk_api_"))
                .extract().path("token");
        String id = given().auth().oauth2(org.ownerToken()).get(path)
                .then().statusCode(200)
                .body("tokens", hasSize(1))
                .body("tokens[0].hint", equalTo("…" + token.substring(token.length() - 4)))
                .body(not(containsString(token)))
                .extract().path("tokens[0].id");

        assertEquals(43, token.length() - "kws_api_".length(), "256 random bits");
        assertArrayEquals(TokenCodec.hash(token), (byte[]) TestPostgres.get()
                .queryValue("select token_hash from scim.scim_token where id = ?::uuid", id));
        assertEquals(0, TestPostgres.get().count(
                "select count(*) from scim.scim_token t where position(?::bytea in t::text::bytea) > 0", token));

        given().auth().oauth2(org.ownerToken()).delete(path + "/" + id).then().statusCode(204);
        given().auth().oauth2(org.ownerToken()).get(path).then().statusCode(200).body("tokens", empty());
        given().auth().oauth2(org.ownerToken()).delete(path + "/" + id)
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anOwnerTokenOpensItsOwnOrganizationOnly() {
        TestOrg mine = OrgAnnouncements.announce("scim", "mine", Region.API);
        TestOrg theirs = OrgAnnouncements.announce("scim", "theirs", Region.API);

        given().auth().oauth2(mine.ownerToken()).get("/admin/orgs/" + theirs.slug() + "/scim/tokens")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(mine.ownerToken()).post("/admin/orgs/" + theirs.slug() + "/scim/tokens")
                .then().statusCode(403);
        assertEquals(0, TestPostgres.get().count("select count(*) from scim.scim_token where org_id = ?::uuid",
                theirs.id().toString()));
    }

    @Test
    void missingExpiredAndForgedTokensAreUnauthorized() {
        TestOrg org = OrgAnnouncements.announce("scim", "locked", Region.API);
        String path = "/admin/orgs/" + org.slug() + "/scim/tokens";

        given().get(path).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        given().auth().oauth2(AdminTokens.expiredOwner(org.id(), org.slug())).get(path).then().statusCode(401);
        given().auth().oauth2(AdminTokens.forgedOwner(org.id(), org.slug())).get(path).then().statusCode(401);
    }

    @Test
    void anOrganizationOfAnotherRegionIsSentHome() {
        TestOrg european = OrgAnnouncements.announce("scim", "euro", Region.EU);

        given().auth().oauth2(european.ownerToken()).post("/admin/orgs/" + european.slug() + "/scim/tokens")
                .then().statusCode(421)
                .contentType("application/problem+json")
                .body("detail", containsString("http://localhost:9082"));
    }

    @Test
    void anUnknownOrganizationIsNotFound() {
        given().auth().oauth2(AdminTokens.owner(OrgId.random(), "ghost"))
                .get("/admin/orgs/ghost/scim/tokens")
                .then().statusCode(404).contentType("application/problem+json");
    }
}
