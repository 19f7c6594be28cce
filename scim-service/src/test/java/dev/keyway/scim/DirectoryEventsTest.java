package dev.keyway.scim;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keyway.common.event.DepartmentState;
import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.GroupState;
import dev.keyway.common.event.Topics;
import dev.keyway.common.event.UserDeleted;
import dev.keyway.common.event.UserState;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every change of the user store goes out on keyway.directory.v1 as full state, in order per aggregate. */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class DirectoryEventsTest {

    private static List<EventEnvelope> eventsOf(String aggregateId) {
        return TestKafka.get().readAll(Topics.DIRECTORY).stream()
                .filter(record -> aggregateId.equals(record.key()))
                .map(record -> EventCodec.decode(record.value()).orElseThrow()).toList();
    }

    @Test
    void aUsersLifeIsAnnouncedAsFullStatesEndingInDeletion() {
        ScimOrg org = ScimOrg.create("events");
        String id = org.scim()
                .body("""
                {"userName":"Ev@Acme.test","name":{"givenName":"Eve","familyName":"Vent"},"title":"Analyst",
                 "emails":[{"value":"eve.work@acme.test","type":"work"},{"value":"EVE@acme.test","primary":true}],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Audit","employeeNumber":"E1"}}""")
                .post("/Users").then().statusCode(201).extract().path("id");
        String group = org.scim().body("{\"displayName\":\"Auditors\",\"members\":[{\"value\":\"" + id + "\"}]}")
                .post("/Groups").then().statusCode(201).extract().path("id");
        org.scim().body(JumpCloudFlowTest.PATCH + "[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}")
                .patch("/Users/" + id).then().statusCode(200);
        org.scim().delete("/Users/" + id).then().statusCode(204);

        await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(id).size() == 4);
        List<EventEnvelope> events = eventsOf(id);
        assertEquals(List.of(1L, 2L, 3L, 4L), events.stream().map(EventEnvelope::sequence).toList());
        assertEquals(List.of("user.upserted", "user.upserted", "user.upserted", "user.deleted"),
                events.stream().map(EventEnvelope::type).toList());
        events.forEach(event -> assertEquals(org.org().id(), event.orgId()));

        UserState created = events.get(0).payload(UserState.class);
        assertEquals("Ev@Acme.test", created.userName());
        assertEquals("eve@acme.test", created.email(), "the primary e-mail, lower-cased");
        assertEquals("Audit", created.department());
        assertEquals("E1", created.employeeNumber());
        assertEquals("Analyst", created.title());
        assertEquals(List.of(), created.groupIds());
        assertEquals(List.of(UUID.fromString(group)), events.get(1).payload(UserState.class).groupIds());
        assertFalse(events.get(2).payload(UserState.class).active());
        assertEquals(UUID.fromString(id), events.get(3).payload(UserDeleted.class).id());

        List<EventEnvelope> groupEvents = eventsOf(group);
        assertEquals("Auditors", groupEvents.get(0).payload(GroupState.class).displayName());
        await("the new department was announced").atMost(Duration.ofSeconds(20)).until(() -> TestKafka.get()
                .readAll(Topics.DIRECTORY).stream()
                .map(record -> EventCodec.decode(record.value()).orElseThrow())
                .anyMatch(event -> event.payload() instanceof DepartmentState department
                        && department.name().equals("Audit") && event.orgId().equals(org.org().id())));
    }

    @Test
    void aNewUsersEventNamesItsDepartmentAsTheStoreSpellsItOrNoneWhenDisabled() {
        ScimOrg org = ScimOrg.create("events-dept");
        String first = userIn(org, "first@acme.test", "Field Ops");
        String second = userIn(org, "second@acme.test", "  FIELD ops ");
        String department = given().auth().oauth2(org.org().ownerToken())
                .get("/admin/orgs/" + org.slug() + "/departments").then().extract().path("[0].id");
        given().auth().oauth2(org.org().ownerToken()).contentType("application/json").body("{\"enabled\":false}")
                .patch("/admin/orgs/" + org.slug() + "/departments/" + department).then().statusCode(200);
        String third = userIn(org, "third@acme.test", "field ops");

        await().atMost(Duration.ofSeconds(20)).until(() -> !eventsOf(third).isEmpty());
        assertEquals("Field Ops", eventsOf(first).get(0).payload(UserState.class).department());
        assertEquals("Field Ops", eventsOf(second).get(0).payload(UserState.class).department(),
                "merged into the department, named as the store spells it");
        assertNull(eventsOf(third).get(0).payload(UserState.class).department(), "a disabled department takes no one");
        List<EventEnvelope> departmentEvents = eventsOf(department);
        assertEquals(List.of(1L, 2L), departmentEvents.stream().map(EventEnvelope::sequence).toList(),
                "created once (by the first user), then disabled");
        assertEquals(List.of(true, false),
                departmentEvents.stream().map(event -> event.payload(DepartmentState.class).enabled()).toList());
    }

    private static String userIn(ScimOrg org, String userName, String department) {
        return org.scim().body("""
                {"userName":"%s","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"%s"}}"""
                .formatted(userName, department)).post("/Users").then().statusCode(201).extract().path("id");
    }

    @Test
    void addingAMemberAnnouncesOnlyThatMember() {
        ScimOrg org = ScimOrg.create("events-o1");
        String group = org.scim().body("{\"displayName\":\"Big\"}").post("/Groups").then().extract().path("id");
        String first = JumpCloudFlowTest.createUser(org, "first@acme.test");
        String second = JumpCloudFlowTest.createUser(org, "second@acme.test");
        org.scim().body(JumpCloudFlowTest.PATCH + "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\""
                + first + "\"}]}]}").patch("/Groups/" + group).then().statusCode(204);
        org.scim().body(JumpCloudFlowTest.PATCH + "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\""
                + second + "\"}]}]}").patch("/Groups/" + group).then().statusCode(204);

        await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(second).size() == 2);
        assertEquals(2, eventsOf(first).size(), "the first member is not re-announced when a second joins");
        assertEquals(List.of(UUID.fromString(group)), eventsOf(second).get(1).payload(UserState.class).groupIds());
    }
}
