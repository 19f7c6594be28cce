package dev.keyway.scim;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** What bad input and bad credentials get: SCIM error JSON with the right status and scimType, nothing written. */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class ScimErrorsTest {

    private static final String USER = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"%s\"}";

    private static ValidatableResponse scimError(ValidatableResponse response, int status, String scimType) {
        response.statusCode(status)
                .contentType("application/scim+json")
                .body("schemas", hasItem("urn:ietf:params:scim:api:messages:2.0:Error"))
                .body("status", equalTo(Integer.toString(status)))
                .body("detail", not(containsString("Exception")))
                .body("detail", not(containsString("dev.keyway")));
        return scimType == null ? response : response.body("scimType", equalTo(scimType));
    }

    private static long users(ScimOrg org) {
        return TestPostgres.get().count("select count(*) from scim.scim_user where org_id = ?::uuid",
                org.org().id().toString());
    }

    @Test
    void malformedBodiesAreInvalidSyntaxAndWriteNothing() {
        ScimOrg org = ScimOrg.create("syntax");
        scimError(org.scim().body("{\"userName\":").post("/Users").then(), 400, "invalidSyntax");
        scimError(org.scim().body("[1]").post("/Users").then(), 400, "invalidSyntax");
        scimError(org.scim().body("").post("/Users").then(), 400, "invalidSyntax");
        scimError(org.scim().body("{\"name\":{\"givenName\":\"No userName\"}}").post("/Users").then(), 400,
                "invalidValue");
        scimError(org.scim().body("{\"userName\":\"x\",\"active\":\"perhaps\"}").post("/Users").then(), 400,
                "invalidValue");
        scimError(org.scim().contentType("application/json").body("{\"userName\":{\"a\":1}}").post("/Users").then(),
                400, "invalidValue");
        assertEquals(0, users(org));
    }

    @Test
    void aBodyOverTheLimitIs413InScimFormat() {
        ScimOrg org = ScimOrg.create("huge");
        scimError(org.scim().body(USER.formatted("x".repeat(1100 * 1024))).post("/Users").then(), 413, null);
        assertEquals(0, users(org));
    }

    @Test
    void aTakenUserNameIsAUniquenessConflictWhateverItsCase() {
        ScimOrg org = ScimOrg.create("unique");
        org.scim().body(USER.formatted("Taken@Acme.test")).post("/Users").then().statusCode(201);
        scimError(org.scim().body(USER.formatted("taken@acme.TEST")).post("/Users").then(), 409, "uniqueness");
        String other = org.scim().body(USER.formatted("other@acme.test")).post("/Users").then().extract().path("id");
        scimError(org.scim().body(USER.formatted("TAKEN@acme.test")).put("/Users/" + other).then(), 409, "uniqueness");
        assertEquals(2, users(org));
    }

    @Test
    void aDeletedUsersNameIsFreeAgain() {
        ScimOrg org = ScimOrg.create("reuse");
        String id = org.scim().body(USER.formatted("again@acme.test")).post("/Users").then().extract().path("id");
        org.scim().delete("/Users/" + id).then().statusCode(204);
        org.scim().body(USER.formatted("again@acme.test")).post("/Users").then().statusCode(201);
    }

    @Test
    void badFiltersAreInvalidFilterNeverAnEmptyList() {
        ScimOrg org = ScimOrg.create("badfilter");
        for (String filter : new String[]{ "userName eq", "favoriteColor eq \"red\"", "active eq \"maybe\"",
                "emails[type eq \"work\"", "meta.created gt \"soon\"" }) {
            scimError(org.scim().queryParam("filter", filter).get("/Users").then(), 400, "invalidFilter");
        }
        scimError(org.scim().queryParam("count", "ten").get("/Users").then(), 400, "invalidValue");
    }

    @Test
    void aStaleIfMatchIsAPreconditionFailureAndAFreshOneWorks() {
        ScimOrg org = ScimOrg.create("etag");
        String id = org.scim().body(USER.formatted("etag@acme.test")).post("/Users").then().extract().path("id");
        String patch = JumpCloudFlowTest.PATCH + "[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"Boss\"}]}";

        scimError(org.scim().header("If-Match", "W/\"7\"").body(patch).patch("/Users/" + id).then(), 412, null);
        org.scim().get("/Users/" + id).then().body("meta.version", equalTo("W/\"1\""));
        org.scim().header("If-Match", "W/\"1\"").body(patch).patch("/Users/" + id).then().statusCode(200)
                .header("ETag", "W/\"2\"");
        org.scim().header("If-None-Match", "W/\"2\"").get("/Users/" + id).then().statusCode(304);
        scimError(org.scim().header("If-Match", "W/\"1\"").delete("/Users/" + id).then(), 412, null);
        org.scim().header("If-Match", "*").delete("/Users/" + id).then().statusCode(204);
    }

    @Test
    void aFailingPatchLeavesTheUserAsItWas() {
        ScimOrg org = ScimOrg.create("atomic");
        String id = org.scim().body(USER.formatted("atomic@acme.test")).post("/Users").then().extract().path("id");
        scimError(org.scim().body(JumpCloudFlowTest.PATCH + """
                [{"op":"replace","path":"title","value":"First"},
                 {"op":"replace","path":"active","value":"not-a-boolean"}]}""").patch("/Users/" + id).then(),
                400, "invalidValue");
        org.scim().get("/Users/" + id).then().body("title", equalTo(null)).body("meta.version", equalTo("W/\"1\""));
    }

    @Test
    void unknownAttributesAreIgnoredAndUnknownIdsAreNotFound() {
        ScimOrg org = ScimOrg.create("lenient");
        org.scim().body("{\"userName\":\"lenient@acme.test\",\"favoriteColor\":\"red\",\"id\":\"chosen-by-client\","
                + "\"password\":\"secret\",\"name\":{\"givenName\":\"L\",\"nickname2\":\"x\"}}")
                .post("/Users").then().statusCode(201)
                .body("$", not(hasKey("favoriteColor")))
                .body("$", not(hasKey("password")))
                .body("id", not(equalTo("chosen-by-client")));
        scimError(org.scim().get("/Users/00919288221112222").then(), 404, null);
        scimError(org.scim().get("/Users/" + UUID.randomUUID()).then(), 404, null);
        scimError(org.scim().get("/Groups/not-a-uuid").then(), 404, null);
    }

    @Test
    void missingWrongAndRevokedTokensAre401() {
        ScimOrg org = ScimOrg.create("auth");
        scimError(given().get("/scim/v2/Users").then(), 401, null).header("WWW-Authenticate", "Bearer");
        scimError(given().header("Authorization", "non-token").get("/scim/v2/Users").then(), 401, null);
        scimError(given().auth().oauth2(org.token() + "x").get("/scim/v2/Users").then(), 401, null);
        scimError(given().auth().oauth2("kws_api_" + "A".repeat(43)).get("/scim/v2/Users").then(), 401, null);

        String id = given().auth().oauth2(org.org().ownerToken()).get("/admin/orgs/" + org.slug() + "/scim/tokens")
                .then().extract().path("tokens[0].id");
        given().auth().oauth2(org.org().ownerToken()).delete("/admin/orgs/" + org.slug() + "/scim/tokens/" + id)
                .then().statusCode(204);
        scimError(org.scim().get("/Users").then(), 401, null);
    }

    @Test
    void tokensRotateInTwoPhases() {
        ScimOrg org = ScimOrg.create("rotate");
        String admin = "/admin/orgs/" + org.slug() + "/scim/tokens";
        String oldId = given().auth().oauth2(org.org().ownerToken()).get(admin).then().extract().path("tokens[0].id");
        String fresh = given().auth().oauth2(org.org().ownerToken()).post(admin).then().statusCode(201)
                .extract().path("token");

        org.scim().get("/Users").then().statusCode(200);
        given().auth().oauth2(fresh).get("/scim/v2/Users").then().statusCode(200);

        given().auth().oauth2(org.org().ownerToken()).delete(admin + "/" + oldId).then().statusCode(204);
        org.scim().get("/Users").then().statusCode(401);
        given().auth().oauth2(fresh).get("/scim/v2/Users").then().statusCode(200);
        given().auth().oauth2(org.org().ownerToken()).get(admin).then()
                .body("tokens[0].lastUsedAt", not(equalTo(null)));
    }

    @Test
    void theApiKeyColonScimKeyFormIsAcceptedOnlyWithTheOrganizationsOwnApiKey() {
        ScimOrg org = ScimOrg.create("composite");
        ScimOrg other = ScimOrg.create("composite-other");
        given().header("Authorization", "Bearer " + org.apiKey() + ":" + org.token()).get("/scim/v2/Users")
                .then().statusCode(200);
        given().header("Authorization", "Bearer " + org.apiKey() + ": " + org.token()).get("/scim/v2/Users")
                .then().statusCode(200);
        scimError(given().header("Authorization", "Bearer " + other.apiKey() + ":" + org.token())
                .get("/scim/v2/Users").then(), 401, null);
        scimError(given().header("Authorization", "Bearer " + org.apiKey() + ":" + other.token() + "x")
                .get("/scim/v2/Users").then(), 401, null);
    }

    @Test
    void aTokenOfAnotherRegionIsSentToThatRegionsBaseUrl() {
        scimError(given().auth().oauth2("kws_eu_" + "B".repeat(43)).get("/scim/v2/Users").then(), 421, null)
                .body("detail", containsString("http://localhost:9082/scim/v2"));
    }

    @Test
    void withGroupManagementOffGroupsAreRefusedAndDiscoverySaysSo() {
        ScimOrg org = ScimOrg.create("nogroups");
        given().auth().oauth2(org.org().ownerToken()).contentType("application/json").body("{\"groupsEnabled\":false}")
                .patch("/admin/orgs/" + org.slug() + "/scim/settings").then().statusCode(200);

        scimError(org.scim().get("/Groups").then(), 403, null).body("detail", containsString("switched off"));
        scimError(org.scim().body("{\"displayName\":\"x\"}").post("/Groups").then(), 403, null);
        org.scim().get("/ServiceProviderConfig").then().statusCode(200)
                .body("'urn:keyway:params:scim:ServiceProviderConfig'.groupManagement.enabled", equalTo(false));
        org.scim().get("/ResourceTypes").then().body("Resources.name", not(hasItem("Group")));
        org.scim().get("/Users").then().statusCode(200);
    }
}
