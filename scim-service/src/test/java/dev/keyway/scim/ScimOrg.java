package dev.keyway.scim;

import static io.restassured.RestAssured.given;

import dev.keyway.common.tenant.Region;
import dev.keyway.testsupport.OrgAnnouncements;
import dev.keyway.testsupport.OrgAnnouncements.TestOrg;
import io.restassured.specification.RequestSpecification;

/** An organization known to scim-service, with a SCIM token issued through the admin API. */
public record ScimOrg(TestOrg org, String token, String apiKey) {

    public static ScimOrg create(String prefix) {
        TestOrg org = OrgAnnouncements.announce("scim", prefix, Region.API);
        var issued = given().auth().oauth2(org.ownerToken()).post("/admin/orgs/" + org.slug() + "/scim/tokens")
                .then().statusCode(201).extract();
        return new ScimOrg(org, issued.path("token"), issued.path("apiKey"));
    }

    /** A SCIM request as JumpCloud sends it: bearer token, application/scim+json. */
    public RequestSpecification scim() {
        return given().auth().oauth2(token).contentType("application/scim+json").basePath("/scim/v2");
    }

    public String slug() {
        return org.slug();
    }
}
