package dev.keyway.scim;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.EndpointSecurity;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * SCIM and admin endpoints whose author forgot to say who may call them are refused to every caller, each in its
 * protocol's error format: the service denies REST methods without a security annotation.
 */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class DenyByDefaultTest {

    /** A new SCIM endpoint without a security annotation; it exists in tests only. */
    @Path("/scim/v2/Forgotten")
    public static class ForgottenScimResource {

        @GET
        public String scim() {
            return "every organization's secret";
        }
    }

    /** A new admin endpoint without a security annotation; it exists in tests only. */
    @Path("/admin/orgs/{slug}/forgotten")
    public static class ForgottenAdminResource {

        @GET
        public String admin(@PathParam("slug") String slug) {
            return "secret of " + slug;
        }
    }

    @Test
    void aScimEndpointWithoutASecurityAnnotationIsRefusedEvenWithAValidToken() {
        ScimOrg org = ScimOrg.create("forgotten");

        given().get("/scim/v2/Forgotten").then().statusCode(401).contentType("application/scim+json")
                .body("status", equalTo("401"));
        org.scim().get("/Forgotten").then().statusCode(403).contentType("application/scim+json")
                .body("status", equalTo("403"));
    }

    @Test
    void anAdminEndpointWithoutASecurityAnnotationIsRefusedEvenToTheOwner() {
        ScimOrg org = ScimOrg.create("forgotten");

        EndpointSecurity.assertAdminEndpointRefusedToEveryone("/admin/orgs/" + org.slug() + "/forgotten",
                org.org().ownerToken());
    }
}
