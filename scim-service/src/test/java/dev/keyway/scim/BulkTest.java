package dev.keyway.scim;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class BulkTest {

    @Test
    void operationsRunInOrderAndBulkIdsResolveToCreatedResources() {
        ScimOrg org = ScimOrg.create("bulk");
        String group = org.scim().body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
                  {"method":"POST","path":"/Users","bulkId":"alice","data":{"userName":"alice@acme.test"}},
                  {"method":"POST","path":"/Users","bulkId":"bob","data":{"userName":"bob@acme.test"}},
                  {"method":"POST","path":"/Groups","bulkId":"team","data":{"displayName":"Team",
                    "members":[{"type":"User","value":"bulkId:alice"},{"type":"User","value":"bulkId:bob"}]}},
                  {"method":"PATCH","path":"/Users/bulkId:bob","data":{"Operations":[
                    {"op":"replace","path":"active","value":false}]}},
                  {"method":"DELETE","path":"/Users/bulkId:alice"}]}""")
                .post("/Bulk").then().statusCode(200)
                .body("schemas", contains("urn:ietf:params:scim:api:messages:2.0:BulkResponse"))
                .body("Operations.status", contains("201", "201", "201", "200", "204"))
                .body("Operations.bulkId", contains("alice", "bob", "team", null, null))
                .extract().path("Operations[2].location");
        org.scim().get(group.substring(group.indexOf("/Groups"))).then().statusCode(200)
                .body("members", hasSize(1)).body("members[0].display", equalTo("bob@acme.test"));
        org.scim().queryParam("filter", "userName eq \"bob@acme.test\"").get("/Users").then()
                .body("Resources[0].active", equalTo(false));
    }

    @Test
    void failuresAreReportedPerOperationAndFailOnErrorsStopsTheRest() {
        ScimOrg org = ScimOrg.create("bulk-errors");
        org.scim().body("""
                {"failOnErrors":2,"Operations":[
                  {"method":"POST","path":"/Users","data":{"userName":"dup@acme.test"}},
                  {"method":"POST","path":"/Users","data":{"userName":"dup@acme.test"}},
                  {"method":"PATCH","path":"/Users/bulkId:nobody","data":{"Operations":[{"op":"replace","path":"title","value":"x"}]}},
                  {"method":"POST","path":"/Users","data":{"userName":"never@acme.test"}}]}""")
                .post("/Bulk").then().statusCode(200)
                .body("Operations.status", contains("201", "409", "409"))
                .body("Operations[1].response.scimType", equalTo("uniqueness"))
                .body("Operations[2].response.detail", containsString("nobody"));
        org.scim().queryParam("filter", "userName eq \"never@acme.test\"").get("/Users").then()
                .body("totalResults", equalTo(0));
        org.scim().body("{\"Operations\":[{\"method\":\"GET\",\"path\":\"/Users\"}]}").post("/Bulk").then()
                .statusCode(200).body("Operations[0].status", equalTo("400"));
        org.scim().body("{\"Operations\":{}}").post("/Bulk").then().statusCode(400);
    }
}
