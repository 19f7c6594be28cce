package dev.keyway.imports.integration;

import static dev.keyway.imports.ImportsAdmin.base;
import static dev.keyway.imports.ImportsAdmin.create;
import static dev.keyway.imports.ImportsAdmin.get;
import static dev.keyway.imports.ImportsAdmin.group;
import static dev.keyway.imports.ImportsAdmin.integration;
import static dev.keyway.imports.ImportsAdmin.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.keyway.common.tenant.Region;
import dev.keyway.testsupport.JumpCloudStandIn;
import dev.keyway.testsupport.JumpCloudStandIn.Org;
import dev.keyway.testsupport.JumpCloudTestResource;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.OrgAnnouncements;
import dev.keyway.testsupport.OrgAnnouncements.TestOrg;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
@WithTestResource(JumpCloudTestResource.class)
class IntegrationsAdminTest {

    private final JumpCloudStandIn jumpcloud = JumpCloudStandIn.us();

    @AfterEach
    void clearFaults() {
        jumpcloud.clearFaults();
        assertEquals(List.of(), jumpcloud.violations());
    }

    @Test
    void anOwnerSeesTheirOwnIntegrationsOnly() {
        TestOrg mine = OrgAnnouncements.announce("imports", "mine", Region.API);
        TestOrg theirs = OrgAnnouncements.announce("imports", "theirs", Region.API);
        Org directory = jumpcloud.newOrganization("Theirs");
        String theirIntegration = create(theirs, integration("Theirs", jumpcloud.adminKey(directory),
                List.of(group(directory.addGroup("Staff"))), false));

        get(mine, "").statusCode(200).body("$", empty());
        get(theirs, "").statusCode(200).body("id", contains(theirIntegration));
        get(mine, "/" + theirIntegration).statusCode(404).contentType("application/problem+json");
        get(mine, "/" + theirIntegration + "/runs").statusCode(404);
        post(mine, "/" + theirIntegration + "/runs", "").statusCode(404);
        given().auth().oauth2(mine.ownerToken()).delete(base(mine) + "/" + theirIntegration).then().statusCode(404);
        given().auth().oauth2(mine.ownerToken()).get(base(theirs)).then().statusCode(403)
                .contentType("application/problem+json");
        given().get(base(mine)).then().statusCode(401).contentType("application/problem+json");
        get(theirs, "/" + theirIntegration).statusCode(200);
    }

    @Test
    void validationNamesWhatIsWrongWithTheCredentials() {
        TestOrg org = OrgAnnouncements.announce("imports", "validate", Region.API);
        Org managed = jumpcloud.newOrganization("Managed");
        Org unmanaged = jumpcloud.newOrganization("Unmanaged");
        String single = jumpcloud.adminKey(managed);
        String multiTenant = jumpcloud.multiTenantAdminKey(managed);

        post(org, "/validate", Map.of("apiKey", single, "dataCenter", "us")).statusCode(200)
                .body("valid", equalTo(true)).body("apiKeyHint", equalTo("…" + single.substring(single.length() - 4)));
        post(org, "/validate", Map.of("apiKey", multiTenant, "jumpcloudOrgId", managed.id, "dataCenter", "us"))
                .statusCode(200);

        refused(org, Map.of("apiKey", "wrong", "dataCenter", "us"), 422, "invalid-api-key");
        refused(org, Map.of("apiKey", multiTenant, "dataCenter", "us"), 422, "organization-id-required");
        refused(org, Map.of("apiKey", multiTenant, "jumpcloudOrgId", unmanaged.id, "dataCenter", "us"), 422,
                "unknown-organization-id");
        refused(org, Map.of("apiKey", single, "dataCenter", "eu"), 422, "invalid-api-key");
        jumpcloud.failNextFor(single, 10, 503, "/api/");
        refused(org, Map.of("apiKey", single, "dataCenter", "us"), 502, "unreachable");

        post(org, "/validate", Map.of("apiKey", single, "dataCenter", "mars")).statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("dataCenter"));
        post(org, "/validate", Map.of("dataCenter", "us")).statusCode(400).body("detail", containsString("apiKey"));
    }

    @Test
    void createShowChangeAndDeleteAnIntegration() {
        TestOrg org = OrgAnnouncements.announce("imports", "lifecycle", Region.API);
        Org directory = jumpcloud.newOrganization("Lifecycle");
        String key = jumpcloud.adminKey(directory);
        String engineering = directory.addGroup("Engineering");
        String sales = directory.addGroup("Sales");

        String id = post(org, "", Map.of("name", "JumpCloud", "apiKey", key, "dataCenter", "us", "interval", "PT2H",
                "enabled", false, "groups", List.of(group(engineering),
                        Map.of("jumpcloudGroupId", sales, "targetGroup", "Sales team"))))
                .statusCode(201)
                .header("Location", containsString(base(org) + "/"))
                .body("apiKeyHint", equalTo("…" + key.substring(key.length() - 4)))
                .body("apiKey", nullValue())
                .body("interval", equalTo("PT2H"))
                .body("enabled", equalTo(false))
                .body("nextRunAt", nullValue())
                .body("groups.jumpcloudGroupName", contains("Engineering", "Sales"))
                .body("groups.targetGroup", contains("Engineering", "Sales team"))
                .extract().path("id");

        assertEquals(2, groupsAnnounced(id), "each Keyway group is announced to the user store with the integration");

        String stored = (String) TestPostgres.get().queryValue(
                "select api_key_sealed from imports.import_integration where id = ?::uuid", id);
        assertFalse(stored.contains(key), "the API key is sealed at rest");
        assertTrue(stored.startsWith("v1:"), stored);

        given().auth().oauth2(org.ownerToken()).contentType("application/json")
                .body(Map.of("enabled", true, "groups", List.of(group(sales))))
                .patch(base(org) + "/" + id).then().statusCode(200)
                .body("enabled", equalTo(true)).body("nextRunAt", not(nullValue()))
                .body("groups.targetGroup", contains("Sales")).body("interval", equalTo("PT2H"));
        get(org, "").statusCode(200).body("$", hasSize(1)).body("[0].groups", hasSize(1));
        assertEquals(3, groupsAnnounced(id));

        given().auth().oauth2(org.ownerToken()).delete(base(org) + "/" + id).then().statusCode(204);
        get(org, "/" + id).statusCode(404);
        get(org, "").statusCode(200).body("$", empty());
    }

    @Test
    void listsEveryJumpCloudGroupToChooseFrom() {
        TestOrg org = OrgAnnouncements.announce("imports", "choose", Region.API);
        Org directory = jumpcloud.newOrganization("Many groups");
        String key = jumpcloud.adminKey(directory);
        IntStream.range(0, 120).forEach(i -> directory.addGroup("Team " + i));

        post(org, "/jumpcloud-groups", Map.of("apiKey", key, "dataCenter", "us")).statusCode(200)
                .body("$", hasSize(120)).body("[119].name", equalTo("Team 119"));
        String id = create(org, integration("Chosen", key, List.of(group(directory.addGroup("Late"))), false));
        get(org, "/" + id + "/jumpcloud-groups").statusCode(200).body("$", hasSize(121));
        refused(org, "/jumpcloud-groups", Map.of("apiKey", "wrong", "dataCenter", "us"), 422, "invalid-api-key");
    }

    @Test
    void badInputIsRefusedAndNothingIsWritten() {
        TestOrg org = OrgAnnouncements.announce("imports", "refused", Region.API);
        Org directory = jumpcloud.newOrganization("Refused");
        String key = jumpcloud.adminKey(directory);
        String staff = directory.addGroup("Staff");

        given().auth().oauth2(org.ownerToken()).contentType("application/json").body("{\"name\": ")
                .post(base(org)).then().statusCode(400).contentType("application/problem+json");
        post(org, "", Map.of("name", "No groups", "apiKey", key, "dataCenter", "us", "groups", List.of()))
                .statusCode(400).body("detail", containsString("groups"));
        post(org, "", integration("Twice", key, List.of(group(staff), group(staff)), false)).statusCode(400);
        post(org, "", Map.of("name", "Too often", "apiKey", key, "dataCenter", "us", "interval", "PT0.5S",
                "groups", List.of(group(staff)))).statusCode(400).body("detail", containsString("interval"));
        post(org, "", integration("Unknown group", key, List.of(group("0123456789abcdef01234567")), false))
                .statusCode(422).body("reason", equalTo("group-not-found"));
        post(org, "", integration("Bad key", "wrong", List.of(group(staff)), false))
                .statusCode(422).body("reason", equalTo("invalid-api-key"));
        assertEquals(0, TestPostgres.get().count(
                "select count(*) from imports.import_integration where org_id = ?::uuid", org.id().toString()));

        create(org, integration("Taken", key, List.of(group(staff)), false));
        post(org, "", integration("Taken", key, List.of(group(staff)), false)).statusCode(409)
                .contentType("application/problem+json");
        get(org, "/not-a-uuid").statusCode(404);
    }

    private static long groupsAnnounced(String integrationId) {
        // every event numbered on the integration's groups (the relay deletes what it published, the numbers stay)
        return TestPostgres.get().count("select coalesce(sum(last_sequence), 0) from imports.outbox_sequence"
                + " where aggregate_id like ?", "import-group:" + integrationId + ":%");
    }

    private static void refused(TestOrg org, Map<String, String> credentials, int status, String reason) {
        refused(org, "/validate", credentials, status, reason);
    }

    private static void refused(TestOrg org, String path, Map<String, String> credentials, int status, String reason) {
        post(org, path, credentials).statusCode(status).contentType("application/problem+json")
                .body("reason", equalTo(reason)).body("detail", not(containsString(credentials.get("apiKey"))));
    }
}
