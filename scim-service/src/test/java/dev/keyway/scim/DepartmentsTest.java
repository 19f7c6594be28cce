package dev.keyway.scim;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Departments merge by name, are never duplicated, and a disabled one receives no user sync. */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class DepartmentsTest {

    private static String user(ScimOrg org, String userName, String department) {
        return org.scim().body("""
                {"userName":"%s","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"%s"}}"""
                .formatted(userName, department)).post("/Users").then().statusCode(201).extract().path("id");
    }

    private static Object departmentOf(String userId) {
        return TestPostgres.get().queryValue("select d.name from scim.scim_user u left join scim.department d "
                + "on d.id = u.department_id where u.id = ?::uuid", userId);
    }

    @Test
    void aNameMergesIntoTheExistingDepartmentAndADisabledOneReceivesNoSync() {
        ScimOrg org = ScimOrg.create("departments");
        String admin = "/admin/orgs/" + org.slug() + "/departments";
        user(org, "one@acme.test", "Sales");
        user(org, "two@acme.test", "  sales ");
        given().auth().oauth2(org.org().ownerToken()).get(admin).then().statusCode(200)
                .body("name", contains("Sales")).body("members", contains(2));

        String id = given().auth().oauth2(org.org().ownerToken()).get(admin).then().extract().path("[0].id");
        given().auth().oauth2(org.org().ownerToken()).contentType("application/json").body("{\"enabled\":false}")
                .patch(admin + "/" + id).then().statusCode(200).body("enabled", equalTo(false));

        String three = user(org, "three@acme.test", "SALES");
        assertNull(departmentOf(three), "provisioned, but not synced into a disabled department");
        String four = user(org, "four@acme.test", "Support");
        assertEquals("Support", departmentOf(four));
        org.scim().body(JumpCloudFlowTest.PATCH + "[{\"op\":\"replace\",\"path\":"
                + "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department\",\"value\":\"Sales\"}]}")
                .patch("/Users/" + four).then().statusCode(200);
        assertEquals("Support", departmentOf(four), "a disabled department does not take users in");

        given().auth().oauth2(org.org().ownerToken()).get(admin).then()
                .body("name", contains("Sales", "Support")).body("enabled", contains(false, true));
        assertEquals(2, TestPostgres.get().count("select count(*) from scim.department where org_id = ?::uuid",
                org.org().id().toString()), "never duplicated");

        given().auth().oauth2(org.org().ownerToken()).contentType("application/json").body("{\"enabled\":true}")
                .patch(admin + "/" + id).then().statusCode(200);
        org.scim().body(JumpCloudFlowTest.PATCH + "[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"Rep\"}]}")
                .patch("/Users/" + three).then().statusCode(200);
        assertEquals("Sales", departmentOf(three), "synced again once enabled");
    }

    @Test
    void usersCreatedConcurrentlyIntoOneNewDepartmentAllLandInTheSameOne() throws Exception {
        ScimOrg org = ScimOrg.create("dept-race");
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Callable<String>> creates = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                creates.add(() -> user(org, "racer" + n + "@acme.test", "Brand New"));
            }
            for (Future<String> created : pool.invokeAll(creates)) {
                assertEquals("Brand New", departmentOf(created.get()));
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, TestPostgres.get().count("select count(*) from scim.department where org_id = ?::uuid",
                org.org().id().toString()));
    }

    @Test
    void aUserWaitingForADepartmentAnotherWriterCreatesLandsInIt() throws Exception {
        ScimOrg org = ScimOrg.create("dept-wait");
        String orgId = org.org().id().toString();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection other = TestPostgres.get().connect()) {
            // another writer has created the department and not committed yet: the POST waits on its name
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement("insert into scim.department (id, org_id, name) "
                    + "values (gen_random_uuid(), ?::uuid, 'Night Shift')")) {
                insert.setString(1, orgId);
                insert.executeUpdate();
            }
            Future<String> created = pool.submit(() -> user(org, "late@acme.test", "night shift"));
            await("the POST waits for the other writer").atMost(Duration.ofSeconds(20))
                    .until(() -> TestPostgres.get().count("select count(*) from pg_stat_activity "
                            + "where wait_event_type = 'Lock' and query like '%new_department%'") > 0);
            other.commit();

            assertEquals("Night Shift", departmentOf(created.get(20, TimeUnit.SECONDS)),
                    "committed while the POST's statement waited, out of its snapshot, and still found");
        } finally {
            pool.shutdown();
        }
        assertEquals(1, TestPostgres.get().count("select count(*) from scim.department where org_id = ?::uuid",
                orgId));
    }

    @Test
    void aRefusedUserLeavesNoDepartmentAndNoEventBehind() {
        ScimOrg org = ScimOrg.create("dept-refused");
        String orgId = org.org().id().toString();
        user(org, "taken@acme.test", "Sales");
        long logged = TestPostgres.get().count("select count(*) from scim.set_event where org_id = ?::uuid", orgId);

        String ghost = """
                {"userName":"taken@acme.test",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Ghosts"}}""";
        org.scim().body(ghost).post("/Users").then().statusCode(409).body("scimType", equalTo("uniqueness"));

        assertEquals(0, TestPostgres.get().count("select count(*) from scim.department where org_id = ?::uuid "
                + "and name = 'Ghosts'", orgId), "the department the refused user named was not created");
        assertEquals(logged, TestPostgres.get().count("select count(*) from scim.set_event where org_id = ?::uuid",
                orgId), "nothing was logged for the apps");
        assertEquals(1, TestPostgres.get().count("select count(*) from scim.scim_user where org_id = ?::uuid",
                orgId));
    }

    @Test
    void departmentsOfAnotherOrganizationAreOutOfReach() {
        ScimOrg mine = ScimOrg.create("dept-mine");
        ScimOrg theirs = ScimOrg.create("dept-theirs");
        user(theirs, "x@theirs.test", "Finance");
        String theirDepartment = given().auth().oauth2(theirs.org().ownerToken())
                .get("/admin/orgs/" + theirs.slug() + "/departments").then().extract().path("[0].id");

        given().auth().oauth2(mine.org().ownerToken()).contentType("application/json").body("{\"enabled\":false}")
                .patch("/admin/orgs/" + mine.slug() + "/departments/" + theirDepartment).then().statusCode(404);
        given().auth().oauth2(mine.org().ownerToken()).get("/admin/orgs/" + theirs.slug() + "/departments")
                .then().statusCode(403);
        given().auth().oauth2(mine.org().ownerToken()).contentType("application/json").body("{}")
                .patch("/admin/orgs/" + mine.slug() + "/departments/" + theirDepartment).then().statusCode(400);
    }
}
