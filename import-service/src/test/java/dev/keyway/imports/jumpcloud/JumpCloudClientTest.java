package dev.keyway.imports.jumpcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

/** The client against the stand-in, which answers 400 to anything JumpCloud's published API does not declare. */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
@WithTestResource(JumpCloudTestResource.class)
class JumpCloudClientTest {

    private final JumpCloudStandIn jumpcloud = JumpCloudStandIn.us();

    @Inject
    JumpCloudClient client;

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
        assertEquals(Set.copyOf(userIds), client.memberIds(credentials, groupIds.get(0)));
        List<SystemUser> users = new ArrayList<>();
        client.eachUser(credentials, users::add);
        assertEquals(userIds, users.stream().map(SystemUser::id).toList());
        assertEquals("user7@example.com", users.get(7).email());
        assertTrue(users.get(7).active());

        List<Request> requests = jumpcloud.requests(key);
        for (Request request : requests) {
            assertNull(request.orgIdHeader(), "no x-org-id for a single-tenant admin");
            assertEquals("100", request.query().get("limit"));
        }
        assertEquals(List.of("0", "100", "200"), requests.stream()
                .filter(request -> request.path().equals("/api/v2/usergroups"))
                .map(request -> request.query().get("skip")).toList());
        List<Request> userPages = requests.stream().filter(request -> request.path().equals("/api/systemusers"))
                .toList();
        assertEquals(3, userPages.size());
        userPages.forEach(page -> assertEquals("_id", page.query().get("sort")));
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
        assertEquals(Set.of(), client.memberIds(credentials, group));
        assertTrue((System.nanoTime() - started) / 1_000_000 >= 1000, "waited as Retry-After asked");

        jumpcloud.failNext(2, 500, group);
        assertEquals(Set.of(), client.memberIds(credentials, group));

        int before = jumpcloud.requests(key).size();
        jumpcloud.failNext(10, 503, group);
        JumpCloudException gaveUp = assertThrows(JumpCloudException.class, () -> client.memberIds(credentials, group));
        assertEquals(Reason.UNREACHABLE, gaveUp.why());
        assertTrue(gaveUp.getMessage().contains("answered 503") && gaveUp.getMessage().contains("4 times"),
                gaveUp.getMessage());
        assertEquals(4, jumpcloud.requests(key).size() - before, "max-attempts of %test");

        jumpcloud.clearFaults();
        org.deleteGroup(group);
        assertEquals(Reason.GROUP_NOT_FOUND,
                assertThrows(JumpCloudException.class, () -> client.memberIds(credentials, group)).why());
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
        assertEquals(Set.of(user), client.memberIds(credentials, group));
        assertEquals(List.of(429, 503, 200), statusesSince(key, before));

        before = jumpcloud.requests(key).size();
        jumpcloud.failNext(3, 403, group);
        assertEquals(Reason.FORBIDDEN,
                assertThrows(JumpCloudException.class, () -> client.memberIds(credentials, group)).why());
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

    private void assertRefused(JumpCloudCredentials credentials, Reason expected) {
        assertEquals(expected, assertThrows(JumpCloudException.class, () -> client.validate(credentials)).why());
    }
}
