package dev.keyway.scim.token;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.OrganizationState;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.OrgAnnouncements;
import dev.keyway.testsupport.OrgAnnouncements.TestOrg;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Owner tokens revoked at sso-service are refused here too, from this service's own projection of keyway.orgs.v1:
 * no call to sso-service.
 */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class OwnerTokenRevocationTest {

    private static String jtiOf(String token) throws Exception {
        JwtContext parsed = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                .setSkipSignatureVerification().build().process(token);
        return parsed.getJwtClaims().getJwtId();
    }

    /** sso-service's next announcement of the organization, as its outbox relay would publish it. */
    private static void announce(TestOrg org, long sequence, Instant ownerTokensNotBefore, List<String> revoked) {
        TestKafka.get().publish(EventEnvelope.of(EventType.ORGANIZATION_UPSERTED, org.id(), org.region(),
                org.id().toString(), sequence, new OrganizationState(org.id(), OrgSlug.of(org.slug()),
                        "Org " + org.slug(), org.region(), Instant.now(), ownerTokensNotBefore, revoked)));
    }

    private static void awaitProjected(TestOrg org, String condition) {
        await().atMost(Duration.ofSeconds(20)).until(() -> TestPostgres.get().count(
                "select count(*) from scim.known_organization where id = ?::uuid and " + condition,
                org.id().toString()) == 1);
    }

    private static int statusWith(String token, TestOrg org) {
        return given().auth().oauth2(token).get("/admin/orgs/" + org.slug() + "/scim/tokens").statusCode();
    }

    @Test
    void aRevokedOwnerTokenIsRefusedOnceTheAnnouncementIsApplied() throws Exception {
        TestOrg org = OrgAnnouncements.announce("scim", "revoked", Region.API);
        String revoked = org.ownerToken();
        String kept = org.ownerToken();
        String path = "/admin/orgs/" + org.slug() + "/scim/tokens";
        given().auth().oauth2(revoked).get(path).then().statusCode(200);

        announce(org, 2, null, List.of(jtiOf(revoked)));
        awaitProjected(org, "cardinality(revoked_owner_tokens) = 1");

        given().auth().oauth2(revoked).get(path).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        given().auth().oauth2(revoked).post(path).then().statusCode(401);
        given().auth().oauth2(kept).get(path).then().statusCode(200);
    }

    @Test
    void revokingAllRefusesEveryTokenIssuedBeforeTheInstantAndNoOtherOrganizations() {
        TestOrg org = OrgAnnouncements.announce("scim", "revoked-all", Region.API);
        TestOrg bystander = OrgAnnouncements.announce("scim", "bystander", Region.API);
        String token = org.ownerToken();

        announce(org, 2, Instant.now(), List.of());
        awaitProjected(org, "owner_tokens_not_before is not null");

        given().auth().oauth2(token).get("/admin/orgs/" + org.slug() + "/scim/tokens")
                .then().statusCode(401).contentType("application/problem+json");
        assertEquals(200, statusWith(bystander.ownerToken(), bystander));
    }
}
