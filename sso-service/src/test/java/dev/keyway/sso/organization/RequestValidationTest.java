package dev.keyway.sso.organization;

import static dev.keyway.sso.organization.OrganizationsTest.OPERATOR;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** A request body is checked by its constraints before anything runs: every wrong field is named, in one 400. */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class RequestValidationTest {

    @Test
    void everyWrongFieldIsNamedInOneProblemAndNothingIsWritten() {
        long before = TestPostgres.get().count("select count(*) from sso.organization");

        given().header("Authorization", OPERATOR).contentType(ContentType.JSON)
                .body("{\"slug\":\"Bad_Slug!\",\"displayName\":\" \",\"region\":\"mars\"}").post("/admin/orgs")
                .then().statusCode(400).contentType("application/problem+json").body("status", equalTo(400))
                .body("detail", containsString("slug: 2-63 characters of a-z, 0-9 and '-'"))
                .body("detail", containsString("displayName: required, at most 200 characters."))
                .body("detail", containsString("region: must be 'api' or 'eu'."));
        given().header("Authorization", OPERATOR).contentType(ContentType.JSON).post("/admin/orgs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("A JSON body with slug, displayName and region is required."));

        assertEquals(before, TestPostgres.get().count("select count(*) from sso.organization"));
    }
}
