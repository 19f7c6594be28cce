package dev.keyway.sso.organization;

import static dev.keyway.sso.organization.OrganizationsTest.OPERATOR;
import static dev.keyway.sso.organization.OrganizationsTest.createOrg;
import static dev.keyway.sso.organization.OrganizationsTest.uniqueSlug;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.OrganizationState;
import dev.keyway.common.event.Topics;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class OwnerTokenRevocationTest {

    private static ExtractableResponse<Response> issue(String slug) {
        return given().header("Authorization", OPERATOR).post("/admin/orgs/" + slug + "/owner-tokens")
                .then().statusCode(200).body("jti", notNullValue()).extract();
    }

    private static int statusWith(String token, String slug) {
        return given().auth().oauth2(token).get("/admin/orgs/" + slug).statusCode();
    }

    /** Waits until sso-service's own organization projection (fed by keyway.orgs.v1) holds the revocation. */
    private static void awaitProjected(String orgId, String condition) {
        await().atMost(Duration.ofSeconds(20)).until(() -> TestPostgres.get().count(
                "select count(*) from sso.known_organization where id = ?::uuid and " + condition, orgId) == 1);
    }

    @Test
    void aRevokedOwnerTokenIsRefusedOnceTheAnnouncementIsAppliedAndOtherTokensStillWork() {
        String slug = uniqueSlug("revoke-one");
        String orgId = createOrg(slug);
        ExtractableResponse<Response> revoked = issue(slug);
        String kept = issue(slug).path("token");
        assertEquals(200, statusWith(revoked.path("token"), slug));

        given().header("Authorization", OPERATOR).delete("/admin/orgs/" + slug + "/owner-tokens/" + revoked.path("jti"))
                .then().statusCode(204);
        awaitProjected(orgId, "'" + revoked.path("jti") + "' = any (revoked_owner_tokens)");

        given().auth().oauth2(revoked.<String>path("token")).get("/admin/orgs/" + slug)
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        assertEquals(200, statusWith(kept, slug));

        List<OrganizationState> announced = TestKafka.get().readAll(Topics.ORGS).stream()
                .filter(record -> orgId.equals(record.key())).map(ConsumerRecord::value).map(EventCodec::decode)
                .map(event -> event.orElseThrow().payload(OrganizationState.class)).toList();
        assertEquals(List.of(revoked.<String>path("jti")), announced.get(announced.size() - 1).revokedOwnerTokens());

        given().header("Authorization", OPERATOR).delete("/admin/orgs/" + slug + "/owner-tokens/" + revoked.path("jti"))
                .then().statusCode(204);
    }

    @Test
    void revokeAllRefusesEveryTokenIssuedBeforeItAndNoneIssuedAfter() {
        String slug = uniqueSlug("revoke-all");
        String orgId = createOrg(slug);
        String first = issue(slug).path("token");
        String second = issue(slug).path("token");

        given().header("Authorization", OPERATOR).post("/admin/orgs/" + slug + "/owner-tokens/revoke-all")
                .then().statusCode(200).body("ownerTokensNotBefore", notNullValue());
        // issued within the same second as the revocation: it must work all the same
        String fresh = issue(slug).path("token");
        awaitProjected(orgId, "owner_tokens_not_before is not null");

        assertEquals(401, statusWith(first, slug));
        assertEquals(401, statusWith(second, slug));
        assertEquals(200, statusWith(fresh, slug));
    }

    @Test
    void onlyTheOperatorRevokesAndOnlyTokensOfThatOrganization() {
        String mine = uniqueSlug("revoker");
        String theirs = uniqueSlug("revokee");
        createOrg(mine);
        createOrg(theirs);
        ExtractableResponse<Response> owner = issue(mine);
        String theirJti = issue(theirs).path("jti");

        given().auth().oauth2(owner.<String>path("token"))
                .delete("/admin/orgs/" + mine + "/owner-tokens/" + owner.path("jti"))
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(owner.<String>path("token")).post("/admin/orgs/" + mine + "/owner-tokens/revoke-all")
                .then().statusCode(403);
        for (String unknown : new String[]{ theirJti, UUID.randomUUID().toString(), "not-a-token-id" }) {
            given().header("Authorization", OPERATOR).delete("/admin/orgs/" + mine + "/owner-tokens/" + unknown)
                    .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
        }
        given().header("Authorization", OPERATOR)
                .post("/admin/orgs/nobody-" + UUID.randomUUID() + "/owner-tokens/revoke-all")
                .then().statusCode(404).contentType("application/problem+json");
        assertEquals(0, TestPostgres.get().count(
                "select count(*) from sso.owner_token where revoked_at is not null and jti = ?::uuid", theirJti));
        assertEquals(200, statusWith(owner.path("token"), mine));
    }
}
