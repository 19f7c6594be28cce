package dev.keyway.scim;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class DiscoveryTest {

    @Test
    void theServiceProviderConfigTellsWhatIsSupported() {
        ScimOrg org = ScimOrg.create("discovery");
        org.scim().get("/ServiceProviderConfig").then().statusCode(200).contentType("application/scim+json")
                .body("patch.supported", equalTo(true))
                .body("bulk.supported", equalTo(true)).body("bulk.maxOperations", equalTo(1000))
                .body("bulk.maxPayloadSize", equalTo(1048576))
                .body("filter.supported", equalTo(true)).body("filter.maxResults", equalTo(1000))
                .body("sort.supported", equalTo(true)).body("etag.supported", equalTo(true))
                .body("changePassword.supported", equalTo(false))
                .body("authenticationSchemes.type", contains("oauthbearertoken"))
                .body("'urn:keyway:params:scim:ServiceProviderConfig'.groupManagement.enabled", equalTo(true));
    }

    @Test
    void resourceTypesAndSchemasDescribeUsersTheEnterpriseExtensionAndGroups() {
        ScimOrg org = ScimOrg.create("schemas");
        org.scim().get("/ResourceTypes").then().statusCode(200)
                .body("Resources.name", containsInAnyOrder("User", "Group"))
                .body("Resources.find { it.name == 'User' }.schemaExtensions.schema",
                        contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));
        org.scim().get("/Schemas").then().statusCode(200).body("totalResults", equalTo(3))
                .body("Resources.id", containsInAnyOrder("urn:ietf:params:scim:schemas:core:2.0:User",
                        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                        "urn:ietf:params:scim:schemas:core:2.0:Group"));
        org.scim().get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User").then().statusCode(200)
                .body("attributes.find { it.name == 'userName' }.uniqueness", equalTo("server"))
                .body("attributes.find { it.name == 'userName' }.required", equalTo(true))
                .body("attributes.find { it.name == 'emails' }.subAttributes.name", hasItem("primary"))
                .body("attributes.find { it.name == 'groups' }.mutability", equalTo("readOnly"));
        org.scim().get("/Schemas/urn:nope").then().statusCode(404);
        org.scim().get("/ResourceTypes/Group").then().statusCode(200).body("endpoint", equalTo("/Groups"));
    }
}
