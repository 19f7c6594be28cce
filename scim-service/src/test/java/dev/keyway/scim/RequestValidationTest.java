package dev.keyway.scim;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keyway.common.tenant.Region;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.OrgAnnouncements;
import dev.keyway.testsupport.OrgAnnouncements.TestOrg;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Admin request bodies are checked by their constraints; the refusal is problem+json, not SCIM error JSON. */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class RequestValidationTest {

    @Test
    void aSettingLeftOutIsNamedInAProblem() {
        TestOrg org = OrgAnnouncements.announce("scim", "checked", Region.API);

        given().auth().oauth2(org.ownerToken()).contentType(ContentType.JSON).body("{}")
                .patch("/admin/orgs/" + org.slug() + "/scim/settings")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("groupsEnabled: required, true or false."));
        given().auth().oauth2(org.ownerToken()).contentType(ContentType.JSON)
                .patch("/admin/orgs/" + org.slug() + "/scim/settings")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("A JSON body with groupsEnabled is required."));
        given().auth().oauth2(org.ownerToken()).contentType(ContentType.JSON).body("{\"enabled\":null}")
                .patch("/admin/orgs/" + org.slug() + "/departments/" + UUID.randomUUID())
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("enabled: required, true or false."));
    }
}
