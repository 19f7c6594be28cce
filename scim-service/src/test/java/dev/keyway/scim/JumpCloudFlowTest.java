package dev.keyway.scim;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What JumpCloud's Identity Management client does, in order (research notes, section A): Test Connection, then
 * lookup-before-create, create, per-attribute PATCH replace, deactivate, reactivate, and the group life cycle with
 * its minimal member objects and path-less member removal.
 */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class JumpCloudFlowTest {

    static final String PATCH = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":";

    @Test
    void testConnectionCreatesAndDeletesATestUserAndGroupAndLeavesNothing() {
        ScimOrg org = ScimOrg.create("jc-test");
        org.scim().get("/Users").then().statusCode(200)
                .contentType("application/scim+json")
                .body("schemas", contains("urn:ietf:params:scim:api:messages:2.0:ListResponse"))
                .body("totalResults", equalTo(0)).body("Resources", empty());

        String user = org.scim().body("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jc-test@acme.test",
                 "name":{"givenName":"Test","familyName":"User"},"emails":[{"value":"jc-test@acme.test","primary":true}],
                 "active":true}""")
                .post("/Users").then().statusCode(201).extract().path("id");
        String group = org.scim().body("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],"
                + "\"displayName\":\"JumpCloud Test Group\"}")
                .post("/Groups").then().statusCode(201).extract().path("id");
        org.scim().delete("/Users/" + user).then().statusCode(204);
        org.scim().delete("/Groups/" + group).then().statusCode(204);

        org.scim().get("/Users").then().body("totalResults", equalTo(0));
        org.scim().get("/Groups").then().body("totalResults", equalTo(0));
        org.scim().get("/Users/" + user).then().statusCode(404);
        org.scim().delete("/Users/" + user).then().statusCode(404);
    }

    @Test
    void aUserIsLookedUpCreatedUpdatedDeactivatedAndReactivated() {
        ScimOrg org = ScimOrg.create("jc-user");
        org.scim().queryParam("filter", "userName eq \"grace@acme.test\"").get("/Users")
                .then().statusCode(200).body("totalResults", equalTo(0));

        String id = org.scim().body("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "userName":"grace@acme.test","name":{"givenName":"Grace","familyName":"Hopper"},
                 "emails":[{"value":"grace@acme.test","type":"work","primary":true}],"title":"Rear Admiral",
                 "active":true,
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Navy"}}""")
                .post("/Users").then().statusCode(201)
                .header("Location", containsString("/scim/v2/Users/"))
                .header("ETag", "W/\"1\"")
                .body("meta.resourceType", equalTo("User")).body("meta.version", equalTo("W/\"1\""))
                .extract().path("id");

        org.scim().queryParam("filter", "userName eq \"GRACE@acme.test\"").get("/Users")
                .then().body("totalResults", equalTo(1)).body("Resources[0].id", equalTo(id));

        org.scim().body(PATCH + """
                [{"op":"replace","path":"name.givenName","value":"Amazing Grace"},
                 {"op":"replace","path":"title","value":"Commodore"},
                 {"op":"replace","path":"emails[type eq \\"work\\"].value","value":"amazing.grace@acme.test"},
                 {"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                  "value":"Computing"}]}""")
                .patch("/Users/" + id).then().statusCode(200)
                .body("name.givenName", equalTo("Amazing Grace"))
                .body("name.familyName", equalTo("Hopper"))
                .body("title", equalTo("Commodore"))
                .body("emails[0].value", equalTo("amazing.grace@acme.test"))
                .body("'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'.department", equalTo("Computing"))
                .body("meta.version", equalTo("W/\"2\""));

        org.scim().body(PATCH + "[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}")
                .patch("/Users/" + id).then().statusCode(200).body("active", equalTo(false));
        org.scim().get("/Users/" + id).then().body("active", equalTo(false));
        org.scim().queryParam("filter", "active eq false").get("/Users").then().body("totalResults", equalTo(1));

        org.scim().body(PATCH + "[{\"op\":\"replace\",\"path\":\"active\",\"value\":true}]}")
                .patch("/Users/" + id).then().statusCode(200).body("active", equalTo(true));
    }

    @Test
    void aGroupIsCreatedRenamedAndItsMembersAddedAndRemovedWithMinimalMemberObjects() {
        ScimOrg org = ScimOrg.create("jc-group");
        String ada = createUser(org, "ada@acme.test");
        String alan = createUser(org, "alan@acme.test");

        org.scim().queryParam("filter", "displayName eq \"Engineering\"").get("/Groups")
                .then().statusCode(200).body("totalResults", equalTo(0));
        String group = org.scim().body("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering",
                 "members":[{"value":"%s"}]}""".formatted(ada))
                .post("/Groups").then().statusCode(201)
                .body("members.value", contains(ada)).extract().path("id");

        org.scim().body(PATCH + "[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"R&D\"}]}")
                .patch("/Groups/" + group).then().statusCode(204);
        org.scim().body(PATCH + "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + alan + "\"}]}]}")
                .patch("/Groups/" + group).then().statusCode(204);
        org.scim().get("/Groups/" + group).then().statusCode(200)
                .body("displayName", equalTo("R&D"))
                .body("members.value", hasItem(alan)).body("members", hasSize(2));
        org.scim().get("/Users/" + alan).then().body("groups.value", contains(group))
                .body("groups[0].display", equalTo("R&D"));

        org.scim().body(PATCH + "[{\"op\":\"remove\",\"path\":\"members\",\"value\":[{\"value\":\"" + ada + "\"}]}]}")
                .patch("/Groups/" + group).then().statusCode(204);
        org.scim().get("/Groups/" + group).then().body("members.value", contains(alan));
        org.scim().get("/Users/" + ada).then().body("groups", nullValue());

        org.scim().delete("/Groups/" + group).then().statusCode(204);
        org.scim().get("/Groups/" + group).then().statusCode(404);
        org.scim().get("/Users/" + alan).then().statusCode(200).body("groups", nullValue());
        org.scim().queryParam("filter", "displayName eq \"R&D\"").get("/Groups")
                .then().body("Resources.id", not(hasItem(group)));
    }

    static String createUser(ScimOrg org, String userName) {
        return org.scim().body("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                + userName + "\",\"emails\":[{\"value\":\"" + userName + "\",\"primary\":true}]}")
                .post("/Users").then().statusCode(201).extract().path("id");
    }
}
