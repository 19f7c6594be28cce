package dev.keyway.scim;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.ImportedGroup;
import dev.keyway.common.event.ImportedUser;
import dev.keyway.common.event.ImportedUserLeft;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Directory-import events applied to the user store, once each, with SCIM taking precedence. */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class ImportEventsTest {

    private final UUID integration = UUID.randomUUID();

    private EventEnvelope imported(ScimOrg org, String sourceId, long sequence, String userName, boolean active,
            String manager, List<String> groups) {
        return EventEnvelope.of(EventType.IMPORT_USER_CHANGED, org.org().id(), org.org().region(),
                integration + "/" + sourceId, sequence, new ImportedUser(integration, sourceId, userName, userName,
                        "Imported", sourceId, "Engineer", "Platform", "E-" + sourceId, manager, active, groups));
    }

    private static void eventually(String what, Supplier<Boolean> condition) {
        await().alias(what).atMost(Duration.ofSeconds(20)).until(condition::get);
    }

    private static long version(ScimOrg org, String userName) {
        return TestPostgres.get().count("select coalesce(max(version), 0) from scim.scim_user where org_id = ?::uuid "
                + "and user_name = ? and deleted_at is null", org.org().id().toString(), userName);
    }

    private static String id(ScimOrg org, String userName) {
        return org.scim().queryParam("filter", "userName eq \"" + userName + "\"").get("/Users").then()
                .extract().path("Resources[0].id");
    }

    @Test
    void aGroupAnIntegrationFillsExistsBeforeItsFirstMemberAndOnlyOnce() {
        ScimOrg org = ScimOrg.create("selected");
        org.scim().contentType("application/scim+json").body("{\"displayName\":\"Managed by SCIM\"}").post("/Groups")
                .then().statusCode(201);
        TestKafka kafka = TestKafka.get();
        for (String name : List.of("Contractors", "Contractors", "Managed by SCIM")) {
            kafka.publish(EventEnvelope.of(EventType.IMPORT_GROUP_SELECTED, org.org().id(), org.org().region(),
                    "import-group:" + integration + ":" + name + UUID.randomUUID(), 1,
                    new ImportedGroup(integration, name)));
        }
        eventually("created", () -> org.scim().queryParam("filter", "displayName eq \"Contractors\"").get("/Groups")
                .then().extract().<Integer>path("totalResults") == 1);
        eventually("all three applied", () -> TestPostgres.get().count("select count(*) from scim.inbox_sequence "
                + "where aggregate_id like ?", "import-group:" + integration + ":%") == 3);
        org.scim().queryParam("filter", "displayName eq \"Contractors\"").get("/Groups").then()
                .body("totalResults", equalTo(1)).body("Resources[0].members", empty());
        org.scim().queryParam("filter", "displayName eq \"Managed by SCIM\"").get("/Groups").then()
                .body("totalResults", equalTo(1));
    }

    @Test
    void importedUsersAreCreatedWithTheirGroupsAndManagerAndMoveBetweenGroups() {
        ScimOrg org = ScimOrg.create("imported");
        TestKafka kafka = TestKafka.get();
        kafka.publish(imported(org, "boss", 1, "boss@acme.test", true, null, List.of("Leads")));
        kafka.publish(imported(org, "dev", 1, "dev@acme.test", true, "boss", List.of("Engineering", "All")));
        eventually("imported", () -> version(org, "dev@acme.test") == 1);

        String boss = id(org, "boss@acme.test");
        org.scim().get("/Users/" + id(org, "dev@acme.test")).then()
                .body("title", equalTo("Engineer"))
                .body("'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'.manager.value", equalTo(boss))
                .body("'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'.department", equalTo("Platform"))
                .body("groups.display", containsInAnyOrder("Engineering", "All"));

        kafka.publish(imported(org, "dev", 2, "dev@acme.test", true, "boss", List.of("All", "Support")));
        eventually("moved", () -> version(org, "dev@acme.test") == 2);
        org.scim().get("/Users/" + id(org, "dev@acme.test")).then()
                .body("groups.display", containsInAnyOrder("All", "Support"));
        org.scim().queryParam("filter", "displayName eq \"Engineering\"").get("/Groups").then()
                .body("Resources[0].members", empty());
    }

    @Test
    void aUserScimManagesIsNeverOverwrittenByAnImportAndScimTakesOverImportedUsers() {
        ScimOrg org = ScimOrg.create("precedence");
        TestKafka kafka = TestKafka.get();
        String scimUser = org.scim().body("{\"userName\":\"scim@acme.test\",\"title\":\"Set by SCIM\"}")
                .post("/Users").then().extract().path("id");
        kafka.publish(imported(org, "s1", 1, "scim@acme.test", false, null, List.of("Imported group")));
        kafka.publish(imported(org, "i1", 1, "imp@acme.test", true, null, List.of()));
        eventually("imported", () -> version(org, "imp@acme.test") == 1);
        org.scim().get("/Users/" + scimUser).then().body("title", equalTo("Set by SCIM")).body("active", equalTo(true))
                .body("groups", nullValue());

        String imported = id(org, "imp@acme.test");
        org.scim().body(JumpCloudFlowTest.PATCH + "[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"Mine now\"}]}")
                .patch("/Users/" + imported).then().statusCode(200);
        kafka.publish(imported(org, "i1", 2, "imp@acme.test", false, null, List.of()));
        kafka.publish(imported(org, "i2", 1, "marker@acme.test", true, null, List.of()));
        eventually("later event applied", () -> version(org, "marker@acme.test") == 1);
        org.scim().get("/Users/" + imported).then().body("title", equalTo("Mine now")).body("active", equalTo(true));
    }

    @Test
    void aUserWhoLeftTheSourceIsDeactivatedAndLosesOnlyImportedMemberships() {
        ScimOrg org = ScimOrg.create("leaver");
        TestKafka kafka = TestKafka.get();
        kafka.publish(imported(org, "l1", 1, "leaver@acme.test", true, null, List.of("Imported")));
        eventually("imported", () -> version(org, "leaver@acme.test") == 1);
        String user = id(org, "leaver@acme.test");
        String scimGroup = org.scim().body("{\"displayName\":\"Hand-made\",\"members\":[{\"value\":\"" + user + "\"}]}")
                .post("/Groups").then().extract().path("id");

        EventEnvelope left = EventEnvelope.of(EventType.IMPORT_USER_LEFT, org.org().id(), org.org().region(),
                integration + "/l1", 2, new ImportedUserLeft(integration, "l1", "leaver@acme.test", "deleted"));
        kafka.publish(left);
        eventually("deactivated", () -> version(org, "leaver@acme.test") == 2);
        org.scim().get("/Users/" + user).then().body("active", equalTo(false))
                .body("groups.value", contains(scimGroup));

        kafka.publish(left);
        kafka.publish(imported(org, "l1", 1, "leaver@acme.test", true, null, List.of("Imported")));
        kafka.publish(imported(org, "marker", 1, "marker2@acme.test", true, null, List.of()));
        eventually("later event applied", () -> version(org, "marker2@acme.test") == 1);
        assertEquals(2, version(org, "leaver@acme.test"), "a redelivered or older event changes nothing");
    }
}
