package dev.keyway.imports.integration;

import static dev.keyway.imports.ImportsAdmin.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyway.common.tenant.Region;
import dev.keyway.testsupport.JumpCloudTestResource;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.OrgAnnouncements;
import dev.keyway.testsupport.OrgAnnouncements.TestOrg;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An integration request is checked by its constraints before JumpCloud is asked anything: every wrong field is
 * named, with its place in the body, in one 400 problem+json.
 */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
@WithTestResource(JumpCloudTestResource.class)
class RequestValidationTest {

    @Test
    void everyWrongFieldIsNamedInOneProblemAndNothingIsWritten() {
        TestOrg org = OrgAnnouncements.announce("imports", "checked", Region.API);
        long before = TestPostgres.get().count("select count(*) from imports.import_integration");

        post(org, "", Map.of("name", "x".repeat(201), "apiKey", "key", "dataCenter", "mars", "interval", "PT0.5S",
                "groups", List.of(Map.of("targetGroup", "Staff"), Map.of("jumpcloudGroupId", "g2",
                        "targetGroup", "y".repeat(201)))))
                .statusCode(400).contentType("application/problem+json").body("status", equalTo(400))
                .body("detail", containsString("name: at most 200 characters."))
                .body("detail", containsString("dataCenter: must be \"us\" or \"eu\"."))
                .body("detail", containsString("interval: must lie between PT1S and PT168H."))
                .body("detail", containsString("groups[0].jumpcloudGroupId: required."))
                .body("detail", containsString("groups[1].targetGroup: at most 200 characters."));
        post(org, "", Map.of("name", "Nothing", "apiKey", "key", "dataCenter", "us", "groups", List.of()))
                .statusCode(400)
                .body("detail", equalTo("groups: must name at least one JumpCloud user group to import."));
        post(org, "/validate", Map.of("jumpcloudOrgId", "x")).statusCode(400)
                .body("detail", containsString("apiKey: required."))
                .body("detail", containsString("dataCenter: required (\"us\" or \"eu\")."));

        assertEquals(before, TestPostgres.get().count("select count(*) from imports.import_integration"));
    }
}
