package dev.keyway.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.keyway.common.event.Topics;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.restassured.http.ContentType;

/**
 * Two regions, each with its own database and Kafka cluster, MirrorMaker 2 between them: an organization homed in
 * {@code eu} becomes known in {@code api}, which sends its SAML sign-ins and SCIM calls to {@code eu}; its users'
 * events never reach the {@code api} cluster.
 */
class TwoRegionsIT {

    private final KeywaySystem api = KeywaySystem.get();
    private final KeywaySystem eu = KeywaySystem.eu();

    @Test
    void anOrganizationOfEuIsKnownInApiWhichSendsItsTrafficHomeAndNeverSeesItsUsers() {
        String slug = "european-" + UUID.randomUUID().toString().substring(0, 8);
        String orgId = given().baseUri(eu.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .contentType(ContentType.JSON).body(Map.of("slug", slug, "displayName", "European", "region", "eu"))
                .post("/admin/orgs").then().statusCode(201).extract().path("id");
        given().baseUri(api.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("slug", "x" + slug, "displayName", "Elsewhere", "region", "eu"))
                .post("/admin/orgs").then().statusCode(400);

        long created = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).until(() -> TestPostgres.get().count(
                "select count(*) from sso.known_organization where id = ?::uuid and region = 'eu'", orgId) == 1);
        System.out.println("regions.org_mirrored_ms=" + (System.nanoTime() - created) / 1_000_000);
        given().baseUri(api.sso().url()).redirects().follow(false).get("/saml/" + slug + "/login").then()
                .statusCode(303).header("Location", eu.sso().url() + "/saml/" + slug + "/login");

        String owner = given().baseUri(eu.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .post("/admin/orgs/" + slug + "/owner-tokens").then().extract().path("token");
        String scimToken = await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(eu.scim().url())
                .auth().oauth2(owner).post("/admin/orgs/" + slug + "/scim/tokens"), r -> r.statusCode() == 201)
                .path("token");
        given().baseUri(api.scim().url()).auth().oauth2(scimToken).get("/scim/v2/Users").then().statusCode(421)
                .body("detail", containsString(eu.scim().url() + "/scim/v2"));

        String userName = "ada@" + slug + ".test";
        given().baseUri(eu.scim().url()).basePath("/scim/v2").auth().oauth2(scimToken)
                .contentType("application/scim+json").body(Map.of("userName", userName, "active", true))
                .post("/Users").then().statusCode(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.second()
                .readAll(Topics.DIRECTORY).stream().anyMatch(r -> r.value().contains(userName)));

        // The mirror has seen eu's directory topic since it started (TwoRegionMirror creates it first). An organization
        // created in eu after the user, once known in api, shows the mirror has worked past the user's event: had it
        // copied the directory topic, the user would be on the api cluster by now.
        String later = given().baseUri(eu.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .contentType(ContentType.JSON).body(Map.of("slug", "later-" + slug, "displayName", "Later",
                        "region", "eu"))
                .post("/admin/orgs").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> TestPostgres.get().count(
                "select count(*) from sso.known_organization where id = ?::uuid and region = 'eu'", later) == 1);
        TestKafka apiCluster = TestKafka.get();
        for (String topic : apiCluster.topics()) {
            List<ConsumerRecord<String, String>> records = apiCluster.readAll(topic);
            for (ConsumerRecord<String, String> record : records) {
                if (record.value() != null && record.value().contains(orgId)) {
                    assertTrue(topic.equals("eu." + Topics.ORGS), "only the mirrored registry mentions the "
                            + "organization on the api cluster, but " + topic + " has " + record.value());
                    assertFalse(record.value().contains(userName));
                }
            }
        }
        assertEquals(0, apiCluster.readAll(Topics.DIRECTORY).stream()
                .filter(record -> record.value().contains(orgId)).count());
    }
}
