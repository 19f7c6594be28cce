package dev.keyway.imports.jumpcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.keyway.imports.jumpcloud.JumpCloudException.Reason;
import dev.keyway.testsupport.JumpCloudStandIn;
import dev.keyway.testsupport.JumpCloudStandIn.Org;
import dev.keyway.testsupport.JumpCloudStandIn.Request;
import dev.keyway.testsupport.JumpCloudTestResource;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;

/** The client against the stand-in, which answers 400 to anything JumpCloud's published API does not declare. */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
@WithTestResource(JumpCloudTestResource.class)
class JumpCloudClientTest {

    private final JumpCloudStandIn jumpcloud = JumpCloudStandIn.us();

    @Inject
    JumpCloudClient client;

    @Inject
    JumpCloudConfig config;

    @AfterEach
    void theStandInSawNothingOutsideThePublishedApi() {
        jumpcloud.clearFaults();
        assertEquals(List.of(), jumpcloud.violations());
        assertEquals(List.of(), JumpCloudStandIn.eu().violations());
    }

    @Test
    void readsEveryPageOfGroupsMembersAndUsersTheWayJumpCloudAsks() {
        Org org = jumpcloud.newOrganization("Paging");
        String key = jumpcloud.adminKey(org);
        List<String> groupIds = IntStream.range(0, 250).mapToObj(i -> org.addGroup("Group " + i)).toList();
        List<String> userIds = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            String userId = org.addUser("user" + i, "user" + i + "@example.com", "First" + i, "Last" + i);
            userIds.add(userId);
            org.addMember(groupIds.get(0), userId);
        }
        JumpCloudCredentials credentials = new JumpCloudCredentials(DataCenter.US, key, null);

        List<UserGroup> groups = client.groups(credentials);
        assertEquals(250, groups.size());
        assertEquals("Group 249", groups.get(249).name());
        assertEquals(Set.copyOf(userIds), memberIds(credentials, groupIds.get(0)));
        List<SystemUser> users = users(credentials);
        assertEquals(Set.copyOf(userIds), users.stream().map(SystemUser::id).collect(Collectors.toSet()));
        assertEquals(230, users.size(), "each user once");
        SystemUser seventh = users.stream().filter(user -> user.id().equals(userIds.get(7))).findFirst().orElseThrow();
        assertEquals("user7@example.com", seventh.email());
        assertTrue(seventh.active());

        List<Request> requests = jumpcloud.requests(key);
        for (Request request : requests) {
            assertNull(request.orgIdHeader(), "no x-org-id for a single-tenant admin");
            assertEquals("100", request.query().get("limit"));
        }
        assertEquals(List.of("0", "100", "200"), requests.stream()
                .filter(request -> request.path().equals("/api/v2/usergroups"))
                .map(request -> request.query().get("skip")).toList());
        assertEquals(List.of("0", "99", "198"), requests.stream()
                .filter(request -> request.path().endsWith("/membership"))
                .map(request -> request.query().get("skip")).toList(), "each page starts at the last member read");
        List<Request> userPages = requests.stream().filter(request -> request.path().equals("/api/systemusers"))
                .toList();
        assertEquals(Set.of("0", "100", "200"), userPages.stream().map(request -> request.query().get("skip"))
                .collect(Collectors.toSet()), "the count on the first page says when to stop");
        assertEquals(3, userPages.size());
        userPages.forEach(page -> assertEquals("_id", page.query().get("sort")));
        // JumpCloud's default record has some sixty fields; the import asks for those it maps
        userPages.forEach(page -> assertEquals(Set.of("_id", "username", "email", "firstname", "lastname",
                "jobTitle", "department", "employeeIdentifier", "manager", "state", "suspended"),
                Set.of(page.query().get("fields").split(" "))));
    }

    @Test
    void readsSeveralPagesAtOnceButNoMoreThanConfigured() {
        Org org = jumpcloud.newOrganization("Concurrent");
        String key = jumpcloud.adminKey(org);
        List<String> groupIds = IntStream.range(0, 12).mapToObj(i -> org.addGroup("Team " + i)).toList();
        for (int i = 0; i < 1_050; i++) {
            org.addMember(groupIds.get(i % 12), org.addUser("u" + i, "u" + i + "@example.com", "U", "" + i));
        }
        JumpCloudCredentials credentials = new JumpCloudCredentials(DataCenter.US, key, null);
        // slow answers, so that requests sent together are in flight together
        jumpcloud.latency(Duration.ofMillis(50));
        try {
            jumpcloud.resetPeakInFlight();
            assertEquals(1_050, users(credentials).size());
            int users = jumpcloud.peakInFlight();
            jumpcloud.resetPeakInFlight();
            Set<String> members = new HashSet<>();
            Multi.createFrom().iterable(groupIds)
                    .onItem().transformToMulti(group -> client.memberPages(credentials, group))
                    .merge(config.concurrency())
                    .collect().asList().await().indefinitely().forEach(members::addAll);
            assertEquals(1_050, members.size());
            int groups = jumpcloud.peakInFlight();
            assertTrue(users > 1 && users <= config.concurrency(), "user pages in flight at once: " + users);
            assertTrue(groups > 1 && groups <= config.concurrency(), "group pages in flight at once: " + groups);
        } finally {
            jumpcloud.latency(Duration.ZERO);
        }
        assertEquals(11, jumpcloud.requests(key).stream().filter(request -> request.path().equals("/api/systemusers"))
                .count(), "no page asked twice, none past the end");
    }

    @Test
    void aDirectoryThatGrowsWhileItIsReadIsReadToItsEnd() {
        Org org = jumpcloud.newOrganization("Growing");
        String key = jumpcloud.adminKey(org);
        for (int i = 0; i < 200; i++) {
            org.addUser("g" + i, "g" + i + "@example.com", "G", "" + i);
        }
        JumpCloudCredentials credentials = new JumpCloudCredentials(DataCenter.US, key, null);
        // the first page counts 200; 150 more arrive before the rest is read
        List<SystemUser> users = new ArrayList<>();
        client.userPages(credentials).onItem().invoke(page -> {
            if (users.isEmpty()) {
                for (int i = 200; i < 350; i++) {
                    org.addUser("g" + i, "g" + i + "@example.com", "G", "" + i);
                }
            }
            users.addAll(page);
        }).collect().last().await().indefinitely();
        assertEquals(350, users.size());
        assertEquals(350, users.stream().map(SystemUser::id).distinct().count());
        assertEquals(List.of("0", "100", "200", "300"), jumpcloud.requests(key).stream()
                .map(request -> request.query().get("skip")).toList());
    }

    @Test
    void tellsARefusedKeyFromAMissingUnknownOrMalformedOrganizationId() {
        Org managed = jumpcloud.newOrganization("Managed");
        Org other = jumpcloud.newOrganization("Other");
        String multiTenant = jumpcloud.multiTenantAdminKey(managed);
        String single = jumpcloud.adminKey(managed);

        client.validate(new JumpCloudCredentials(DataCenter.US, single, null));
        client.validate(new JumpCloudCredentials(DataCenter.US, multiTenant, managed.id));
        List<Request> sent = jumpcloud.requests(multiTenant);
        assertEquals(managed.id, sent.get(sent.size() - 1).orgIdHeader());

        assertRefused(new JumpCloudCredentials(DataCenter.US, "not-a-key", null), Reason.INVALID_API_KEY);
        assertRefused(new JumpCloudCredentials(DataCenter.US, multiTenant, null), Reason.ORGANIZATION_ID_REQUIRED);
        assertRefused(new JumpCloudCredentials(DataCenter.US, multiTenant, other.id), Reason.UNKNOWN_ORGANIZATION_ID);
        assertRefused(new JumpCloudCredentials(DataCenter.US, multiTenant, "acme"), Reason.MALFORMED_ORGANIZATION_ID);
        assertRefused(new JumpCloudCredentials(DataCenter.US, "not-a-key", managed.id), Reason.INVALID_API_KEY);

        jumpcloud.revoke(single);
        assertRefused(new JumpCloudCredentials(DataCenter.US, single, null), Reason.INVALID_API_KEY);
    }

    @Test
    void honoursRetryAfterRetriesServerErrorsAndGivesUpAfterTheLastAttempt() {
        Org org = jumpcloud.newOrganization("Flaky");
        String key = jumpcloud.adminKey(org);
        String group = org.addGroup("Flaky group");
        JumpCloudCredentials credentials = new JumpCloudCredentials(DataCenter.US, key, null);

        jumpcloud.rateLimitNext(1, 1, group);
        long started = System.nanoTime();
        assertEquals(Set.of(), memberIds(credentials, group));
        assertTrue((System.nanoTime() - started) / 1_000_000 >= 1000, "waited as Retry-After asked");

        jumpcloud.failNext(2, 500, group);
        assertEquals(Set.of(), memberIds(credentials, group));

        int before = jumpcloud.requests(key).size();
        jumpcloud.failNext(10, 503, group);
        JumpCloudException gaveUp = assertThrows(JumpCloudException.class, () -> memberIds(credentials, group));
        assertEquals(Reason.UNREACHABLE, gaveUp.why());
        assertTrue(gaveUp.getMessage().contains("answered 503") && gaveUp.getMessage().contains("4 times"),
                gaveUp.getMessage());
        assertEquals(4, jumpcloud.requests(key).size() - before, "max-attempts of %test");

        jumpcloud.clearFaults();
        org.deleteGroup(group);
        assertEquals(Reason.GROUP_NOT_FOUND,
                assertThrows(JumpCloudException.class, () -> memberIds(credentials, group)).why());
    }

    @Test
    void retriesA429AndA503UntilJumpCloudAnswersButNeverAPermanentRefusal() {
        Org org = jumpcloud.newOrganization("Retried");
        String key = jumpcloud.adminKey(org);
        String group = org.addGroup("Retried group");
        String user = org.addUser("ada", "ada@example.com", "Ada", "Lovelace");
        org.addMember(group, user);
        JumpCloudCredentials credentials = new JumpCloudCredentials(DataCenter.US, key, null);

        int before = jumpcloud.requests(key).size();
        jumpcloud.rateLimitNext(1, 0, group);
        jumpcloud.failNext(1, 503, group);
        assertEquals(Set.of(user), memberIds(credentials, group));
        assertEquals(List.of(429, 503, 200), statusesSince(key, before));

        before = jumpcloud.requests(key).size();
        jumpcloud.failNext(3, 403, group);
        assertEquals(Reason.FORBIDDEN,
                assertThrows(JumpCloudException.class, () -> memberIds(credentials, group)).why());
        assertEquals(List.of(403), statusesSince(key, before), "a refusal is not asked again");
    }

    private List<Integer> statusesSince(String key, int before) {
        List<Request> requests = jumpcloud.requests(key);
        return requests.subList(before, requests.size()).stream().map(Request::status).toList();
    }

    @Test
    void eachDataCenterHasItsOwnConsole() {
        Org european = JumpCloudStandIn.eu().newOrganization("Europe");
        String euKey = JumpCloudStandIn.eu().adminKey(european);
        european.addGroup("EU staff");

        assertEquals(List.of("EU staff"), client.groups(new JumpCloudCredentials(DataCenter.EU, euKey, null))
                .stream().map(UserGroup::name).toList());
        assertRefused(new JumpCloudCredentials(DataCenter.US, euKey, null), Reason.INVALID_API_KEY);
    }

    @Test
    void credentialsNeverPrintTheirKey() {
        String printed = new JumpCloudCredentials(DataCenter.US, "jc-secret-key-1234", null).toString();
        assertFalse(printed.contains("jc-secret-key"), printed);
        assertTrue(printed.contains("…1234"), printed);
    }

    private Set<String> memberIds(JumpCloudCredentials credentials, String group) {
        Set<String> members = new HashSet<>();
        client.memberPages(credentials, group).collect().asList().await().indefinitely().forEach(members::addAll);
        return members;
    }

    private List<SystemUser> users(JumpCloudCredentials credentials) {
        List<SystemUser> users = new ArrayList<>();
        client.userPages(credentials).collect().asList().await().indefinitely().forEach(users::addAll);
        return users;
    }

    private void assertRefused(JumpCloudCredentials credentials, Reason expected) {
        assertEquals(expected, assertThrows(JumpCloudException.class, () -> client.validate(credentials)).why());
    }
}
