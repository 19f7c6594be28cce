package dev.keyway.scim;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A filter PostgreSQL cannot answer within {@code keyway.scim.filter.timeout} is cancelled by the server and
 * answered 503 in SCIM error JSON, never a 500 or a connection held for as long as the scan runs.
 */
@QuarkusTest
@TestProfile(FilterTimeoutTest.TinyTimeout.class)
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class FilterTimeoutTest {

    /** A limit no scan of many rows can meet. */
    public static class TinyTimeout implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyway.scim.filter.timeout", "1ms");
        }
    }

    @Test
    void aFilterThatRunsTooLongIsCancelledAnd503() {
        ScimOrg org = ScimOrg.create("slow");
        TestPostgres.get().execute("insert into scim.scim_user (id, org_id, user_name, active, attributes, version, "
                + "created_at, updated_at) select gen_random_uuid(), '" + org.org().id() + "'::uuid, 'u' || i || "
                + "'@acme.test', true, '{}'::jsonb, 1, now(), now() from generate_series(1, 50000) i");

        org.scim().queryParam("filter", "userName co \"zz\" or displayName ew \"q\"").get("/Users").then()
                .statusCode(503)
                .contentType("application/scim+json")
                .body("schemas", hasItem("urn:ietf:params:scim:api:messages:2.0:Error"))
                .body("status", equalTo("503"))
                .body("detail", containsString("took too long"))
                .body("detail", not(containsString("Exception")));
        // writes are not under the filter's limit
        org.scim().body("{\"userName\":\"still-writes@acme.test\"}").post("/Users").then().statusCode(201);
    }
}
