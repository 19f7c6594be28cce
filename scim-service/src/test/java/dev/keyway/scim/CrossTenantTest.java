package dev.keyway.scim;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every endpoint, with organization A's token and organization B's ids: B's data is invisible and untouched. */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class CrossTenantTest {

    @Test
    void oneOrganizationNeverSeesOrChangesAnothersUsersAndGroups() {
        ScimOrg a = ScimOrg.create("tenant-a");
        ScimOrg b = ScimOrg.create("tenant-b");
        String bUser = JumpCloudFlowTest.createUser(b, "secret.agent@b.test");
        String bGroup = b.scim().body("{\"displayName\":\"B Team\",\"members\":[{\"value\":\"" + bUser + "\"}]}")
                .post("/Groups").then().statusCode(201).extract().path("id");
        String aUser = JumpCloudFlowTest.createUser(a, "someone@a.test");
        String aGroup = a.scim().body("{\"displayName\":\"A Team\"}").post("/Groups").then().extract().path("id");
        String patch = JumpCloudFlowTest.PATCH + "[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"Mine\"}]}";
        String user = "{\"userName\":\"hijack@a.test\"}";

        for (String path : List.of("/Users/" + bUser, "/Groups/" + bGroup)) {
            a.scim().get(path).then().statusCode(404);
            a.scim().body(patch).patch(path).then().statusCode(404);
            a.scim().body(path.startsWith("/Users") ? user : "{\"displayName\":\"Mine\"}").put(path).then()
                    .statusCode(404);
            a.scim().delete(path).then().statusCode(404);
        }
        for (String filter : List.of("id eq \"" + bUser + "\"", "userName eq \"secret.agent@b.test\"",
                "emails.value eq \"secret.agent@b.test\"", "groups.value eq \"" + bGroup + "\"")) {
            a.scim().queryParam("filter", filter).get("/Users").then().body("totalResults", equalTo(0));
        }
        a.scim().queryParam("filter", "members.value eq \"" + bUser + "\"").get("/Groups").then()
                .body("totalResults", equalTo(0));
        a.scim().queryParam("filter", "displayName eq \"B Team\"").get("/Groups").then().body("totalResults",
                equalTo(0));
        a.scim().get("/Users").then().body("Resources", hasSize(1));

        // B's user cannot be pulled into A's group, and a bulk request cannot reach B
        a.scim().body(JumpCloudFlowTest.PATCH + "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\""
                + bUser + "\"},{\"value\":\"" + aUser + "\"}]}]}").patch("/Groups/" + aGroup).then().statusCode(204);
        a.scim().get("/Groups/" + aGroup).then().body("members.value", contains(aUser));
        a.scim().body("{\"Operations\":[{\"method\":\"DELETE\",\"path\":\"/Users/" + bUser + "\"},"
                + "{\"method\":\"PATCH\",\"path\":\"/Groups/" + bGroup + "\",\"data\":" + patch + "}]}")
                .post("/Bulk").then().statusCode(200).body("Operations.status", contains("404", "404"));

        b.scim().get("/Users/" + bUser).then().statusCode(200).body("userName", equalTo("secret.agent@b.test"));
        b.scim().get("/Groups/" + bGroup).then().statusCode(200).body("displayName", equalTo("B Team"))
                .body("members.value", contains(bUser));
        assertEquals(1, TestPostgres.get().count("select count(*) from scim.group_member where group_id = ?::uuid",
                bGroup));
    }
}
