package dev.keyway.scim.requestlog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyway.scim.ScimOrg;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class RequestLogTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void eachScimRequestIsLoggedWithItsStatusReasonUserAndToken() {
        ScimOrg org = ScimOrg.create("reqlog");
        String tokenId = given().auth().oauth2(org.org().ownerToken())
                .get("/admin/orgs/" + org.slug() + "/scim/tokens").then().statusCode(200).extract()
                .path("tokens[0].id");

        String userId = org.scim().body("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@reqlog.test",
                 "name":{"givenName":"Ada","familyName":"Lovelace"},"active":true}""")
                .post("/Users").then().statusCode(201).extract().path("id");
        org.scim().get("/Users/" + userId).then().statusCode(200);
        org.scim().body("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@reqlog.test"}""")
                .post("/Users").then().statusCode(409);
        // a secret in a parameter SCIM does not define stays out of the log; SCIM's own parameters are kept
        org.scim().queryParam("filter", "userName eq \"ada@reqlog.test\"").queryParam("access_token", "s3cr3t-value")
                .get("/Users").then().statusCode(200);

        List<Map<String, Object>> entries = awaitEntries(org, "", 4);
        Map<String, Object> listed = entries.get(0);
        assertEquals("GET", listed.get("method"));
        assertEquals("/scim/v2/Users?filter=userName eq \"ada@reqlog.test\"&access_token=(left out)",
                listed.get("path"));
        assertEquals(200, listed.get("status"));
        assertEquals(tokenId, listed.get("tokenId"));

        Map<String, Object> conflict = entries.get(1);
        assertEquals("POST", conflict.get("method"));
        assertEquals(409, conflict.get("status"));
        assertEquals("failure", conflict.get("outcome"));
        assertEquals("uniqueness", conflict.get("scimType"));
        assertTrue(((String) conflict.get("detail")).length() > 5, conflict.toString());

        Map<String, Object> read = entries.get(2);
        assertEquals("/scim/v2/Users/" + userId, read.get("path"));
        assertEquals(userId, read.get("userId"));
        assertEquals("ada@reqlog.test", read.get("userName"));
        assertNull(read.get("scimType"));

        Map<String, Object> created = entries.get(3);
        assertEquals("POST", created.get("method"));
        assertEquals(201, created.get("status"));
        assertEquals("success", created.get("outcome"));
        assertEquals(userId, created.get("userId"));

        assertEquals(0, TestPostgres.get().count("select count(*) from scim.scim_request where path like ?",
                "%s3cr3t%"));
    }

    @Test
    void theOwnerFiltersByTimeUserAndOutcome() {
        ScimOrg org = ScimOrg.create("reqfilter");
        String grace = org.scim().body("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"grace@reqfilter.test"}""")
                .post("/Users").then().statusCode(201).extract().path("id");
        org.scim().body("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alan@reqfilter.test"}""")
                .post("/Users").then().statusCode(201);
        org.scim().get("/Users/" + grace).then().statusCode(200);
        org.scim().get("/Users/00000000-0000-0000-0000-000000000000").then().statusCode(404);
        awaitEntries(org, "", 4);
        String path = "/admin/orgs/" + org.slug() + "/scim/requests";
        String owner = org.org().ownerToken();

        given().auth().oauth2(owner).queryParam("outcome", "failure").get(path).then().statusCode(200)
                .body("", hasSize(1)).body("[0].status", equalTo(404));
        given().auth().oauth2(owner).queryParam("outcome", "success").get(path).then().statusCode(200)
                .body("", hasSize(3)).body("outcome", everyItem(equalTo("success")));
        // by SCIM id, or by part of the userName in any case
        given().auth().oauth2(owner).queryParam("user", grace).get(path).then().statusCode(200)
                .body("", hasSize(2));
        given().auth().oauth2(owner).queryParam("user", "ALAN@").get(path).then().statusCode(200)
                .body("", hasSize(1)).body("[0].userName", equalTo("alan@reqfilter.test"));
        given().auth().oauth2(owner).queryParam("limit", "2").get(path).then().statusCode(200).body("", hasSize(2));

        String newest = given().auth().oauth2(owner).get(path).then().extract().path("[0].at");
        String oldest = given().auth().oauth2(owner).get(path).then().extract().path("[3].at");
        given().auth().oauth2(owner).queryParam("since", newest).get(path).then().body("", hasSize(
                greaterThanOrEqualTo(1)));
        given().auth().oauth2(owner).queryParam("until", oldest).get(path).then().body("", empty());
        given().auth().oauth2(owner).queryParam("since", Instant.parse(newest).plusSeconds(1).toString())
                .get(path).then().body("", empty());
    }

    @Test
    void anotherOrganizationNeverSeesTheLog() {
        ScimOrg mine = ScimOrg.create("reqmine");
        ScimOrg theirs = ScimOrg.create("reqtheirs");
        mine.scim().get("/Users").then().statusCode(200);
        awaitEntries(mine, "", 1);
        // their owner sees their own log only, and may not open mine
        given().auth().oauth2(theirs.org().ownerToken()).get("/admin/orgs/" + theirs.slug() + "/scim/requests")
                .then().statusCode(200).body("", empty());
        given().auth().oauth2(theirs.org().ownerToken()).get("/admin/orgs/" + mine.slug() + "/scim/requests")
                .then().statusCode(403).contentType("application/problem+json");
        given().get("/admin/orgs/" + mine.slug() + "/scim/requests").then().statusCode(401);
        // a SCIM token is not an owner's
        given().auth().oauth2(mine.token()).get("/admin/orgs/" + mine.slug() + "/scim/requests").then()
                .statusCode(401);
    }

    @Test
    void badQueryParametersAreProblems() {
        ScimOrg org = ScimOrg.create("reqbad");
        String path = "/admin/orgs/" + org.slug() + "/scim/requests";
        for (Map<String, String> bad : List.of(Map.of("since", "yesterday"), Map.of("until", "2026-13-01"),
                Map.of("outcome", "maybe"), Map.of("limit", "0"), Map.of("limit", "1001"), Map.of("limit", "ten"),
                Map.of("since", "2026-02-01T00:00:00Z", "until", "2026-01-01T00:00:00Z"))) {
            String name = bad.keySet().iterator().next();
            given().auth().oauth2(org.org().ownerToken()).queryParams(bad).get(path).then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString(
                            bad.size() == 2 ? "since" : name));
        }
        given().auth().oauth2(org.org().ownerToken()).get("/admin/orgs/no-such-org/scim/requests").then()
                .statusCode(403);
    }

    /** The log is written within a flush interval of the answer; waits for at least this many entries. */
    private static List<Map<String, Object>> awaitEntries(ScimOrg org, String query, int atLeast) {
        return await().atMost(PATIENCE).until(() -> JsonPath.from(given().auth().oauth2(org.org().ownerToken())
                .get("/admin/orgs/" + org.slug() + "/scim/requests" + query).then().statusCode(200).extract()
                .asString()).<Map<String, Object>>getList(""), found -> found.size() >= atLeast);
    }
}
