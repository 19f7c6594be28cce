package dev.keyway.sso.saml;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.keyway.sso.SsoFixture;
import dev.keyway.sso.connection.Certificates;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestCertificates;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Each replica keeps an organization's parsed SAML set-up in memory. What another replica (or an operator's SQL)
 * changes in the database applies to the very next sign-in here: no time-to-live, no message to wait for. The changes
 * below are made in the database directly, exactly as another replica's admin API writes them, so this replica's
 * copy is not refreshed by its own write.
 */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class SamlSetupCacheTest {

    @Test
    void anIdpCertificateReplacedElsewhereIsDistrustedAtTheNextSignInAndItsSuccessorTrusted() {
        SsoFixture org = SsoFixture.create("rotated");
        org.user("ada@acme.test", true);
        org.post(org.response("ada@acme.test").xml(), null).then().statusCode(303);
        long before = version(org);

        TestCertificates.Identity successor = TestCertificates.selfSigned("JumpCloudSAMLUser rotated");
        TestPostgres.get().queryValue("""
                with forgotten as (delete from sso.idp_certificate where org_id = ?::uuid)
                insert into sso.idp_certificate (id, org_id, certificate, fingerprint, not_after)
                values (gen_random_uuid(), ?::uuid, ?, ?, now() + interval '1 year') returning id""",
                org.orgId.toString(), org.orgId.toString(), Certificates.der(successor.certificate()),
                Certificates.sha256Fingerprint(successor.certificate()));
        assertTrue(version(org) > before, "the change raised the set-up's version");

        // signed by the certificate this replica had cached: refused at once, and nothing recorded but the refusal
        String byOldKey = org.response("ada@acme.test").xml();
        org.post(byOldKey, null).then().statusCode(400).body(containsString("not-verified"));
        assertEquals(1, TestPostgres.get().count("select count(*) from sso.session where org_id = ?::uuid",
                org.orgId.toString()), "only the first sign-in opened a session");
        // signed by the new certificate: trusted at once
        org.post(org.response("ada@acme.test").signedBy(successor).xml(), null).then().statusCode(303);

        given().auth().oauth2(org.owner).get("/admin/orgs/" + org.slug + "/saml/logins").then().statusCode(200)
                .body("reason", contains("ok", "signature-invalid", "ok"));
    }

    @Test
    void settingsChangedElsewhereApplyAtTheNextSignIn() {
        SsoFixture org = SsoFixture.create("settings");
        org.user("ada@acme.test", true);
        org.post(org.response("ada@acme.test").xml(), null).then().statusCode(303);

        TestPostgres.get().queryValue("update sso.saml_connection set settings = settings"
                + " || '{\"allowIdpInitiated\": false}' where org_id = ?::uuid returning 1", org.orgId.toString());

        org.post(org.response("ada@acme.test").xml(), null).then().statusCode(400)
                .body(containsString("unsolicited-not-allowed"));
    }

    @Test
    void everyChangeOfTheSetUpRaisesItsVersion() {
        SsoFixture org = SsoFixture.create("version");
        String base = "/admin/orgs/" + org.slug + "/saml";
        long configured = version(org);
        String key = given().auth().oauth2(org.owner).post(base + "/sp-certificates?use=encryption").then()
                .statusCode(201).extract().path("id");
        long keyAdded = version(org);
        given().auth().oauth2(org.owner).delete(base + "/sp-certificates/" + key).then().statusCode(204);
        long keyRetired = version(org);
        org.settings("{\"clockSkewSeconds\":60}").then().statusCode(200);
        long settingsChanged = version(org);

        assertTrue(configured > 0 && keyAdded > configured && keyRetired > keyAdded && settingsChanged > keyRetired,
                configured + " < " + keyAdded + " < " + keyRetired + " < " + settingsChanged);
    }

    private static long version(SsoFixture org) {
        return ((Number) TestPostgres.get().queryValue("select saml_version from sso.organization where id = ?::uuid",
                org.orgId.toString())).longValue();
    }
}
