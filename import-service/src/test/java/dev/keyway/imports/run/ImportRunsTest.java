package dev.keyway.imports.run;

import static dev.keyway.imports.ImportsAdmin.awaitEnd;
import static dev.keyway.imports.ImportsAdmin.create;
import static dev.keyway.imports.ImportsAdmin.get;
import static dev.keyway.imports.ImportsAdmin.group;
import static dev.keyway.imports.ImportsAdmin.integration;
import static dev.keyway.imports.ImportsAdmin.post;
import static dev.keyway.imports.ImportsAdmin.runToEnd;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.ImportedUser;
import dev.keyway.common.event.ImportedUserLeft;
import dev.keyway.common.event.Topics;
import dev.keyway.common.tenant.Region;
import dev.keyway.testsupport.JumpCloudStandIn;
import dev.keyway.testsupport.JumpCloudStandIn.Org;
import dev.keyway.testsupport.JumpCloudTestResource;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.OrgAnnouncements;
import dev.keyway.testsupport.OrgAnnouncements.TestOrg;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Whole runs against the stand-in, with real PostgreSQL and Kafka: what a run emits, and what it must not. */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
@WithTestResource(JumpCloudTestResource.class)
class ImportRunsTest {

    private final JumpCloudStandIn jumpcloud = JumpCloudStandIn.us();

    @AfterEach
    void restoreTheStandIn() {
        jumpcloud.clearFaults();
        jumpcloud.latency(Duration.ZERO);
        assertEquals(List.of(), jumpcloud.violations());
    }

    /** 1,000 users in Engineering (0–399), Sales (400–799) and Support (700–999): 700–799 are in two groups. */
    private record Directory(Org org, String key, List<String> users, String engineering, String sales,
            String support) {
    }

    private Directory thousandUsersInThreeGroups(String name) {
        Org org = jumpcloud.newOrganization(name);
        String engineering = org.addGroup("Engineering");
        String sales = org.addGroup("Sales");
        String support = org.addGroup("Support");
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String id = org.addUser("user" + i, "user" + i + "@" + name + ".example", "First" + i, "Last" + i);
            users.add(id);
            if (i < 400) {
                org.addMember(engineering, id);
            }
            if (i >= 400 && i < 800) {
                org.addMember(sales, id);
            }
            if (i >= 700) {
                org.addMember(support, id);
            }
        }
        return new Directory(org, jumpcloud.adminKey(org), users, engineering, sales, support);
    }

    @Test
    void importsADirectoryThenEmitsOnlyWhatChangedInJumpCloud() {
        TestOrg org = OrgAnnouncements.announce("imports", "pull", Region.API);
        Directory directory = thousandUsersInThreeGroups("pull");
        String id = create(org, integration("JumpCloud", directory.key(), List.of(
                group(directory.engineering()), group(directory.sales()),
                Map.of("jumpcloudGroupId", directory.support(), "targetGroup", "Customer support")), false));

        JsonPath first = runToEnd(org, id);
        assertEquals("succeeded", first.getString("status"), first.prettify());
        assertEquals("manual", first.getString("trigger"));
        assertEquals(1000, first.getInt("usersSeen"));
        assertEquals(1000, first.getInt("usersCreated"));
        assertEquals(3, first.getInt("groups"));
        assertNotNull(first.getString("finishedAt"));
        assertNotNull(first.getString("nextRunAt"));
        Map<String, EventEnvelope> imported = latestByUser(events(id, 1000));
        ImportedUser twoGroups = imported.get(directory.users().get(750)).payload(ImportedUser.class);
        assertEquals(List.of("Customer support", "Sales"), twoGroups.groups());
        assertEquals("user750@pull.example", twoGroups.userName());
        assertEquals("First750", twoGroups.givenName());
        assertTrue(twoGroups.active());

        JsonPath unchanged = runToEnd(org, id);
        assertEquals("succeeded", unchanged.getString("status"));
        assertEquals(List.of(0, 0, 0), List.of(unchanged.getInt("usersCreated"), unchanged.getInt("usersUpdated"),
                unchanged.getInt("usersDeactivated")));
        assertEquals(1000, outboxEvents(id), "a run with no change in JumpCloud emits nothing");

        Org jc = directory.org();
        List<String> users = directory.users();
        jc.suspend(users.get(5));
        jc.deleteUser(users.get(6));
        jc.removeMember(directory.engineering(), users.get(10));
        jc.addMember(directory.sales(), users.get(10));
        jc.set(users.get(11), "jobTitle", "Staff Engineer");
        jc.set(users.get(11), "department", "Platform");
        jc.removeMember(directory.engineering(), users.get(12));

        JsonPath changed = runToEnd(org, id);
        assertEquals("succeeded", changed.getString("status"), changed.prettify());
        assertEquals(998, changed.getInt("usersSeen"));
        assertEquals(0, changed.getInt("usersCreated"));
        assertEquals(2, changed.getInt("usersUpdated"));
        assertEquals(3, changed.getInt("usersDeactivated"));
        Map<String, EventEnvelope> latest = latestByUser(events(id, 1005));
        assertEquals("import.user.changed", latest.get(users.get(5)).type());
        assertFalse(latest.get(users.get(5)).payload(ImportedUser.class).active(), "suspended is not active");
        assertEquals("deleted", latest.get(users.get(6)).payload(ImportedUserLeft.class).reason());
        assertEquals(List.of("Sales"), latest.get(users.get(10)).payload(ImportedUser.class).groups());
        ImportedUser promoted = latest.get(users.get(11)).payload(ImportedUser.class);
        assertEquals("Staff Engineer", promoted.title());
        assertEquals("Platform", promoted.department());
        ImportedUserLeft removed = latest.get(users.get(12)).payload(ImportedUserLeft.class);
        assertEquals("removed-from-groups", removed.reason());
        assertEquals("user12@pull.example", removed.email());
        assertEquals(4, latest.get(users.get(10)).sequence() + latest.get(users.get(11)).sequence(),
                "each user's events are numbered in order");
    }

    @Test
    void aRunThatCannotFinishLeavesNothingHalfAppliedAndTheNextOneResumes() {
        TestOrg org = OrgAnnouncements.announce("imports", "resume", Region.API);
        Directory directory = thousandUsersInThreeGroups("resume");
        String id = create(org, integration("JumpCloud", directory.key(), List.of(group(directory.engineering()),
                group(directory.sales())), false));
        assertEquals("succeeded", runToEnd(org, id).getString("status"));
        long before = outboxEvents(id);

        directory.org().set(directory.users().get(20), "jobTitle", "Manager");
        directory.org().suspend(directory.users().get(21));
        jumpcloud.failNextFor(directory.key(), 50, 500, "/api/systemusers");
        JsonPath failed = runToEnd(org, id);
        assertEquals("failed", failed.getString("status"));
        assertTrue(failed.getString("errors[0]").contains("answered 500"), failed.prettify());
        assertEquals(before, outboxEvents(id), "a failed run emits nothing");

        jumpcloud.clearFaults();
        jumpcloud.failNextFor(directory.key(), 2, 503, "/api/systemusers");
        JsonPath resumed = runToEnd(org, id);
        assertEquals("succeeded", resumed.getString("status"), "two 503s are retried");
        assertEquals(1, resumed.getInt("usersUpdated"));
        assertEquals(1, resumed.getInt("usersDeactivated"));
        assertEquals(before + 2, outboxEvents(id));
        get(org, "/" + id + "/runs").statusCode(200)
                .body("status", contains("succeeded", "failed", "succeeded"));
    }

    @Test
    void oneRunAtATimePerIntegration() {
        TestOrg org = OrgAnnouncements.announce("imports", "busy", Region.API);
        Org jc = jumpcloud.newOrganization("busy");
        String staff = jc.addGroup("Staff");
        jc.addMember(staff, jc.addUser("ada", "ada@busy.example", "Ada", "Lovelace"));
        String id = create(org, integration("JumpCloud", jumpcloud.adminKey(jc), List.of(group(staff)), false));

        jumpcloud.latency(Duration.ofMillis(500));
        String running = post(org, "/" + id + "/runs", "").statusCode(202).extract().path("id");
        post(org, "/" + id + "/runs", "").statusCode(409).contentType("application/problem+json");
        jumpcloud.latency(Duration.ZERO);
        assertEquals("succeeded", awaitEnd(org, id, running).getString("status"));
        assertEquals("succeeded", runToEnd(org, id).getString("status"), "the lock is released after a run");
    }

    @Test
    void theSchedulerRunsEnabledIntegrationsOnTheirInterval() {
        TestOrg org = OrgAnnouncements.announce("imports", "scheduled", Region.API);
        Org jc = jumpcloud.newOrganization("scheduled");
        String staff = jc.addGroup("Staff");
        jc.addMember(staff, jc.addUser("grace", "grace@scheduled.example", "Grace", "Hopper"));
        String id = create(org, Map.of("name", "Every two seconds", "apiKey", jumpcloud.adminKey(jc),
                "dataCenter", "us", "groups", List.of(group(staff)), "interval", "PT2S"));

        await().atMost(Duration.ofSeconds(30)).until(() -> get(org, "/" + id + "/runs").extract().jsonPath()
                .getList("findAll { it.trigger == 'schedule' && it.status == 'succeeded' }").size() >= 2);
        assertEquals(1, outboxEvents(id), "the second scheduled run found nothing new");
    }

    @Test
    void theApiKeyAppearsInNoLogResponseOrEvent() throws IOException {
        TestOrg org = OrgAnnouncements.announce("imports", "secret", Region.API);
        Org jc = jumpcloud.newOrganization("secret");
        String staff = jc.addGroup("Staff");
        jc.addMember(staff, jc.addUser("alan", "alan@secret.example", "Alan", "Turing"));
        String key = jumpcloud.adminKey(jc);

        List<String> answers = new ArrayList<>();
        answers.add(post(org, "/validate", Map.of("apiKey", key, "dataCenter", "us")).extract().asString());
        answers.add(post(org, "/validate", Map.of("apiKey", key + "x", "dataCenter", "us")).extract().asString());
        String id = post(org, "", integration("Secret", key, List.of(group(staff)), false)).statusCode(201)
                .extract().path("id");
        answers.add(get(org, "/" + id).extract().asString());
        answers.add(get(org, "").extract().asString());
        jumpcloud.failNextFor(key, 20, 500, "/api/systemusers");
        answers.add(runToEnd(org, id).prettify());
        jumpcloud.clearFaults();
        answers.add(runToEnd(org, id).prettify());
        events(id, 1);

        answers.forEach(answer -> assertFalse(answer.contains(key), answer));
        assertFalse(Files.readString(Path.of("target/import-service-test.log")).contains(key), "logs");
        await("every event is published").atMost(Duration.ofSeconds(30)).until(() -> TestPostgres.get()
                .count("select count(*) from imports.outbox") == 0);
        TestKafka.get().readAll(Topics.IMPORTS)
                .forEach(record -> assertFalse(record.value().contains(key), "events"));
        assertEquals(0, TestPostgres.get().count("select count(*) from imports.outbox where payload like ?",
                "%" + key + "%"));
        assertEquals(0, TestPostgres.get().count(
                "select count(*) from imports.import_integration where api_key_sealed like ?", "%" + key + "%"));
    }

    /** The integration's events on Kafka, once {@code expected} of them have been published. */
    private static List<EventEnvelope> events(String integrationId, int expected) {
        String prefix = "import:" + integrationId + ":";
        List<EventEnvelope> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            events.clear();
            for (ConsumerRecord<String, String> record : TestKafka.get().readAll(Topics.IMPORTS)) {
                if (record.key().startsWith(prefix)) {
                    events.add(EventCodec.decode(record.value()).orElseThrow());
                }
            }
            return events.size() >= expected;
        });
        assertEquals(expected, events.size());
        return events;
    }

    /** Each JumpCloud user's newest event. */
    private static Map<String, EventEnvelope> latestByUser(List<EventEnvelope> events) {
        Map<String, EventEnvelope> latest = new HashMap<>();
        for (EventEnvelope event : events) {
            String user = event.aggregateId().substring(event.aggregateId().lastIndexOf(':') + 1);
            latest.merge(user, event, (a, b) -> a.sequence() >= b.sequence() ? a : b);
        }
        return latest;
    }

    /** Every event the integration's runs wrote (the relay deletes what it published, the numbers stay). */
    private static long outboxEvents(String integrationId) {
        return TestPostgres.get().count(
                "select coalesce(sum(last_sequence), 0) from imports.outbox_sequence where aggregate_id like ?",
                "import:" + integrationId + ":%");
    }
}
