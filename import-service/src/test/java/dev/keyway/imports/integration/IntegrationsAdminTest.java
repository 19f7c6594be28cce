package dev.keyway.imports.integration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;

import org.junit.jupiter.api.Test;

import dev.keyway.common.tenant.Region;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.OrgAnnouncements;
import dev.keyway.testsupport.OrgAnnouncements.TestOrg;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class IntegrationsAdminTest {

    @Test
    void anOwnerSeesTheirOwnIntegrationsOnly() {
        TestOrg mine = OrgAnnouncements.announce("imports", "mine", Region.API);
        TestOrg theirs = OrgAnnouncements.announce("imports", "theirs", Region.API);

        given().auth().oauth2(mine.ownerToken()).get("/admin/orgs/" + mine.slug() + "/imports")
                .then().statusCode(200).body("$", empty());
        given().auth().oauth2(mine.ownerToken()).get("/admin/orgs/" + theirs.slug() + "/imports")
                .then().statusCode(403).contentType("application/problem+json");
        given().get("/admin/orgs/" + mine.slug() + "/imports")
                .then().statusCode(401).contentType("application/problem+json");
    }
}
