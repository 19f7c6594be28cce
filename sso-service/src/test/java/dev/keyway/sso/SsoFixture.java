package dev.keyway.sso;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.GroupState;
import dev.keyway.common.event.UserState;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import dev.keyway.testsupport.SamlIdp;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** An organization with a JumpCloud-like IdP trusted, and users the directory announces as scim-service would. */
public final class SsoFixture {

    public static final String OPERATOR = "test-operator-token";

    public final String slug;
    public final OrgId orgId;
    public final String owner;
    public final SamlIdp idp;
    public final String acs;
    public final String spEntityId;
    private long sequence;

    private SsoFixture(String slug, OrgId orgId, String owner, SamlIdp idp, String acs, String spEntityId) {
        this.slug = slug;
        this.orgId = orgId;
        this.owner = owner;
        this.idp = idp;
        this.acs = acs;
        this.spEntityId = spEntityId;
    }

    /** A new organization whose IdP (trusted through its exported metadata) is a fresh test IdP. */
    public static SsoFixture create(String prefix) {
        String slug = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String id = given().auth().oauth2(OPERATOR).contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"displayName\":\"" + slug + "\",\"region\":\"api\"}")
                .post("/admin/orgs").then().statusCode(201).extract().path("id");
        String owner = given().auth().oauth2(OPERATOR).post("/admin/orgs/" + slug + "/owner-tokens")
                .then().statusCode(200).extract().path("token");
        SamlIdp idp = SamlIdp.create("https://sso.jumpcloud.com/saml2/" + slug);
        var view = given().auth().oauth2(owner).contentType("application/samlmetadata+xml")
                .body(idp.metadata("https://sso.jumpcloud.com/saml2/" + slug, true))
                .put("/admin/orgs/" + slug + "/saml/idp").then().statusCode(200).extract();
        return new SsoFixture(slug, OrgId.parse(id), owner, idp, view.path("acsUrl"), view.path("spEntityId"));
    }

    /** A response from this organization's IdP, addressed to its ACS. */
    public SamlIdp.Response response(String nameId) {
        return idp.response().to(acs, spEntityId).nameId(nameId, SamlIdp.NAMEID_EMAIL);
    }

    /** Announces a user on keyway.directory.v1 and waits until sign-in knows them. */
    public UUID user(String email, boolean active, UUID... groupIds) {
        return user(UUID.randomUUID(), email, active, groupIds);
    }

    public UUID user(UUID id, String email, boolean active, UUID... groupIds) {
        TestKafka.get().publish(EventEnvelope.of(EventType.USER_UPSERTED, orgId, Region.API, id.toString(),
                ++sequence + System.nanoTime(), new UserState(id, email, null, "Ada", "Lovelace", "Ada Lovelace", email,
                        active, "Engineer", null, null, List.of(groupIds))));
        await().atMost(Duration.ofSeconds(20)).until(() -> TestPostgres.get().count(
                "select count(*) from sso.login_user where user_id = ?::uuid and active = ?", id.toString(),
                active) == 1);
        return id;
    }

    public UUID group(String name) {
        UUID id = UUID.randomUUID();
        TestKafka.get().publish(EventEnvelope.of(EventType.GROUP_UPSERTED, orgId, Region.API, id.toString(), 1,
                new GroupState(id, name, null)));
        await().atMost(Duration.ofSeconds(20)).until(() -> TestPostgres.get().count(
                "select count(*) from sso.login_group where id = ?::uuid", id.toString()) == 1);
        return id;
    }

    /** Posts a SAMLResponse to the ACS as the browser would, not following the redirect. */
    public Response post(String xml, String relayState) {
        var request = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("SAMLResponse", Base64.getEncoder().encodeToString(xml.getBytes()));
        if (relayState != null) {
            request.formParam("RelayState", relayState);
        }
        return request.post("/saml/" + slug + "/acs");
    }

    public Response settings(String json) {
        return given().auth().oauth2(owner).contentType(ContentType.JSON).body(json)
                .patch("/admin/orgs/" + slug + "/saml/settings");
    }
}
