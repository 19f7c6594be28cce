package dev.keyway.sso.organization;

import static dev.keyway.sso.organization.AdminAuthenticationTest.ownerToken;
import static dev.keyway.sso.organization.OrganizationsTest.OPERATOR;
import static dev.keyway.sso.organization.OrganizationsTest.createOrg;
import static dev.keyway.sso.organization.OrganizationsTest.uniqueSlug;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.EndpointSecurity;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An admin endpoint whose author forgot to say who may call it is refused to everyone, the operator included: the
 * service denies REST methods without a security annotation.
 */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class DenyByDefaultTest {

    /** A new endpoint without a security annotation; it exists in tests only. */
    @Path("/admin/orgs/{slug}/forgotten")
    public static class ForgottenResource {

        @GET
        public String secret(@PathParam("slug") String slug) {
            return "secret of " + slug;
        }
    }

    @Test
    void anEndpointWithoutASecurityAnnotationIsRefusedToEveryone() {
        String slug = uniqueSlug("forgotten");
        createOrg(slug);

        EndpointSecurity.assertAdminEndpointRefusedToEveryone("/admin/orgs/" + slug + "/forgotten",
                OPERATOR.substring("Bearer ".length()), ownerToken(slug));
    }
}
