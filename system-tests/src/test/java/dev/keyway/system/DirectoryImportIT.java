package dev.keyway.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.JumpCloudStandIn;
import dev.keyway.testsupport.JumpCloudStandIn.Org;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * A customer's JumpCloud directory reaching the user store: import-service pulls it from JumpCloud (the stand-in),
 * its events cross Kafka, and scim-service's SCIM API then shows the users, their group and their state.
 */
class DirectoryImportIT {

    private final KeywaySystem system = KeywaySystem.get();

    @Test
    void importedUsersAppearInTheUserStoreAndSuspensionDeactivatesThem() {
        String slug = "imported-" + UUID.randomUUID().toString().substring(0, 8);
        given().baseUri(system.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("slug", slug, "displayName", "Imported", "region", "api"))
                .post("/admin/orgs").then().statusCode(201);
        String owner = given().baseUri(system.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .post("/admin/orgs/" + slug + "/owner-tokens").then().extract().path("token");

        JumpCloudStandIn jumpcloud = JumpCloudStandIn.us();
        Org directory = jumpcloud.newOrganization(slug);
        String staff = directory.addGroup("Staff");
        String ada = directory.addUser("ada", "ada@" + slug + ".test", "Ada", "Lovelace");
        String grace = directory.addUser("grace", "grace@" + slug + ".test", "Grace", "Hopper");
        directory.addMember(staff, ada);
        directory.addMember(staff, grace);
        directory.set(ada, "department", "Engineering");
        String contractors = directory.addGroup("Contractors");

        RequestSpecification imports = given().baseUri(system.imports().url()).auth().oauth2(owner)
                .contentType(ContentType.JSON).basePath("/admin/orgs/" + slug + "/imports");
        String integration = await().atMost(Duration.ofSeconds(30)).until(() -> given().spec(imports)
                .body(Map.of("name", "JumpCloud", "apiKey", jumpcloud.adminKey(directory), "dataCenter", "us",
                        "enabled", false, "groups", List.of(Map.of("jumpcloudGroupId", staff,
                                "targetGroup", "Everyone"), Map.of("jumpcloudGroupId", contractors))))
                .post(), response -> response.statusCode() == 201)
                .path("id");
        // scim-service learns of the organization from keyway.orgs.v1 on its own time, like import-service above
        String scimToken = await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(system.scim().url())
                .auth().oauth2(owner).post("/admin/orgs/" + slug + "/scim/tokens"),
                response -> response.statusCode() == 201).path("token");
        RequestSpecification scim = given().baseUri(system.scim().url()).basePath("/scim/v2").auth().oauth2(scimToken);

        await().atMost(Duration.ofSeconds(30)).until(() -> given().spec(scim)
                .queryParam("filter", "displayName eq \"Contractors\"").get("/Groups").then().extract()
                .<Integer>path("totalResults") == 1);

        runNow(imports, integration);
        JsonPath user = await().atMost(Duration.ofSeconds(30)).until(() -> userNamed(scim, "ada@" + slug + ".test"),
                found -> found.getInt("totalResults") == 1);
        assertEquals("Lovelace", user.getString("Resources[0].name.familyName"));
        assertEquals("Engineering",
                user.getString("Resources[0].'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'.department"));
        assertEquals(true, user.getBoolean("Resources[0].active"));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().spec(scim)
                .queryParam("filter", "displayName eq \"Everyone\"").get("/Groups").then().extract().jsonPath()
                .getList("Resources[0].members.value", String.class),
                members -> members != null && members.size() == 2);

        directory.suspend(grace);
        runNow(imports, integration);
        await().atMost(Duration.ofSeconds(30)).until(() -> !userNamed(scim, "grace@" + slug + ".test")
                .getBoolean("Resources[0].active"));
        given().spec(scim).queryParam("filter", "userName eq \"ada@" + slug + ".test\"").get("/Users").then()
                .body("Resources[0].active", equalTo(true));
    }

    private static void runNow(RequestSpecification imports, String integration) {
        String run = given().spec(imports).post("/" + integration + "/runs").then().statusCode(202).extract()
                .path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> given().spec(imports)
                .get("/" + integration + "/runs/" + run).then().extract().path("status"), "succeeded"::equals);
    }

    private static JsonPath userNamed(RequestSpecification scim, String userName) {
        return given().spec(scim).queryParam("filter", "userName eq \"" + userName + "\"").get("/Users").then()
                .statusCode(200).extract().jsonPath();
    }
}
