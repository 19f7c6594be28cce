package dev.keyway.scim.users;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import org.junit.jupiter.api.Test;

import dev.keyway.scim.ScimOrg;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class UsersSmokeTest {

    @Test
    void createReadFilterPatchDelete() {
        ScimOrg org = ScimOrg.create("smoke");
        String id = org.scim().body("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"Ada@Acme.test",
                 "name":{"givenName":"Ada","familyName":"Lovelace"},
                 "emails":[{"value":"ada@acme.test","type":"work","primary":true}],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D"}}""")
                .post("/Users").then().log().ifValidationFails().statusCode(201)
                .body("userName", equalTo("Ada@Acme.test")).body("active", equalTo(true))
                .extract().path("id");
        org.scim().get("/Users/" + id).then().statusCode(200).body("name.givenName", equalTo("Ada"));
        org.scim().queryParam("filter", "userName eq \"ada@acme.test\"").get("/Users")
                .then().log().ifValidationFails().statusCode(200).body("totalResults", equalTo(1))
                .body("Resources", hasSize(1));
        org.scim().body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"active","value":false}]}""")
                .patch("/Users/" + id).then().log().ifValidationFails().statusCode(200).body("active", equalTo(false));
        org.scim().delete("/Users/" + id).then().statusCode(204);
        org.scim().get("/Users/" + id).then().statusCode(404);
    }
}
