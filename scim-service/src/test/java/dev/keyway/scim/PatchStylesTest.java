package dev.keyway.scim;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The same change sent the Entra way, the Okta way and as a PUT leaves the same user and the same group. */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class PatchStylesTest {

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private static String initial(String userName) {
        return """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s","active":true,
                 "name":{"givenName":"Ryan","familyName":"Leenay"},"displayName":"Ryan Leenay",
                 "emails":[{"value":"%s","type":"work","primary":true}]}""".formatted(userName, userName);
    }

    @Test
    void entraOktaAndPutProduceTheSameUser() {
        ScimOrg org = ScimOrg.create("styles");
        String manager = JumpCloudFlowTest.createUser(org, "boss@acme.test");
        String entra = create(org, "ryan.entra@acme.test");
        String okta = create(org, "ryan.okta@acme.test");
        String put = create(org, "ryan.put@acme.test");

        org.scim().body(JumpCloudFlowTest.PATCH + """
                [{"op":"Replace","path":"displayName","value":"Ryan L."},
                 {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"updated@acme.test"},
                 {"op":"Replace","path":"name.familyName","value":"Leenay-Smith"},
                 {"op":"Add","path":"title","value":"Manager"},
                 {"op":"Replace","path":"active","value":"False"},
                 {"op":"Add","path":"phoneNumbers[type eq \\"mobile\\"].value","value":"+1 555 0100"},
                 {"op":"Add","path":"%s:department","value":"Sales"},
                 {"op":"Add","path":"%s:manager","value":"%s"}]}""".formatted(ENTERPRISE, ENTERPRISE, manager))
                .patch("/Users/" + entra).then().statusCode(200);
        org.scim().body(JumpCloudFlowTest.PATCH + """
                [{"op":"replace","value":{"displayName":"Ryan L.","name":{"familyName":"Leenay-Smith"},"title":"Manager",
                  "active":false,"emails":[{"value":"updated@acme.test","type":"work","primary":true}],
                  "phoneNumbers":[{"value":"+1 555 0100","type":"mobile"}],
                  "%s":{"department":"Sales","manager":{"value":"%s"}}}}]}""".formatted(ENTERPRISE, manager))
                .patch("/Users/" + okta).then().statusCode(200);
        org.scim().body("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","%s"],"userName":"ryan.put@acme.test",
                 "displayName":"Ryan L.","name":{"givenName":"Ryan","familyName":"Leenay-Smith"},"title":"Manager",
                 "active":false,"emails":[{"value":"updated@acme.test","type":"work","primary":true}],
                 "phoneNumbers":[{"type":"mobile","value":"+1 555 0100"}],
                 "%s":{"department":"Sales","manager":{"value":"%s"}}}""".formatted(ENTERPRISE, ENTERPRISE, manager))
                .put("/Users/" + put).then().statusCode(200);

        ObjectNode expected = comparable(org, entra);
        assertEquals(expected, comparable(org, okta));
        assertEquals(expected, comparable(org, put));
        assertEquals(false, expected.get("active").booleanValue());
        assertEquals("Sales", expected.path(ENTERPRISE).path("department").asText());
    }

    @Test
    void entraOktaAndPutProduceTheSameGroup() {
        ScimOrg org = ScimOrg.create("group-styles");
        String a = JumpCloudFlowTest.createUser(org, "a@acme.test");
        String b = JumpCloudFlowTest.createUser(org, "b@acme.test");
        String c = JumpCloudFlowTest.createUser(org, "c@acme.test");
        List<String> groups = new ArrayList<>();
        for (String name : List.of("Entra", "Okta", "Put")) {
            groups.add(org.scim().body("{\"displayName\":\"" + name + "\",\"members\":[{\"value\":\"" + a
                    + "\"},{\"value\":\"" + b + "\"}]}").post("/Groups").then().statusCode(201).extract().path("id"));
        }

        org.scim().body(JumpCloudFlowTest.PATCH + """
                [{"op":"Remove","path":"members","value":[{"value":"%s"}]},
                 {"op":"Add","path":"members","value":[{"value":"%s"}]},
                 {"op":"Replace","path":"displayName","value":"Entra v2"}]}""".formatted(a, c))
                .patch("/Groups/" + groups.get(0)).then().statusCode(204);
        org.scim().body(JumpCloudFlowTest.PATCH + """
                [{"op":"remove","path":"members[value eq \\"%s\\"]"},
                 {"op":"add","path":"members","value":[{"value":"%s","display":"c@acme.test"}]},
                 {"op":"replace","value":{"displayName":"Okta v2"}}]}""".formatted(a, c))
                .patch("/Groups/" + groups.get(1)).then().statusCode(204);
        org.scim()
                .body("{\"displayName\":\"Put v2\",\"members\":[{\"value\":\"" + b + "\"},{\"value\":\"" + c + "\"}]}")
                .put("/Groups/" + groups.get(2)).then().statusCode(200);

        for (String group : groups) {
            org.scim().get("/Groups/" + group).then()
                    .body("members.value", containsInAnyOrder(b, c))
                    .body("displayName", endsWith(" v2"));
        }
    }

    private static String create(ScimOrg org, String userName) {
        return org.scim().body(initial(userName)).post("/Users").then().statusCode(201).extract().path("id");
    }

    /** The user as returned, without what necessarily differs between users (ids, names, metadata). */
    private static ObjectNode comparable(ScimOrg org, String id) {
        ObjectNode copy = org.scim().get("/Users/" + id).then().statusCode(200).extract().as(ObjectNode.class);
        copy.remove(List.of("id", "userName", "meta"));
        return copy;
    }
}
