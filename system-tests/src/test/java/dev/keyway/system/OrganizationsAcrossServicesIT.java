package dev.keyway.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.keyway.common.event.Topics;
import dev.keyway.system.KeywaySystem.Service;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.restassured.http.ContentType;

class OrganizationsAcrossServicesIT {

    private final KeywaySystem system = KeywaySystem.get();
    private final TestPostgres db = TestPostgres.get();
    private final TestKafka kafka = TestKafka.get();

    @AfterEach
    void kafkaRuns() {
        kafka.start();
    }

    private String createOrg(String slug) {
        return given().baseUri(system.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"displayName\":\"" + slug + "\",\"region\":\"api\"}")
                .post("/admin/orgs")
                .then().statusCode(201).extract().path("id");
    }

    private String ownerToken(String slug) {
        return given().baseUri(system.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .post("/admin/orgs/" + slug + "/owner-tokens")
                .then().statusCode(200).extract().path("token");
    }

    private long projected(String schema, String orgId) {
        return db.count("select count(*) from " + schema + ".known_organization where id = ?::uuid", orgId);
    }

    private static String slug(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anOrganizationCreatedInSsoBecomesKnownToEveryServiceAndItsOwnerTokenWorksEverywhere() {
        String slug = slug("everywhere");
        String other = slug("elsewhere");
        String orgId = createOrg(slug);
        createOrg(other);

        await().atMost(Duration.ofSeconds(30)).until(() -> projected("scim", orgId) == 1
                && projected("imports", orgId) == 1 && projected("sso", orgId) == 1);

        String owner = ownerToken(slug);
        given().baseUri(system.scim().url()).auth().oauth2(owner).post("/admin/orgs/" + slug + "/scim/tokens")
                .then().statusCode(201);
        given().baseUri(system.imports().url()).auth().oauth2(owner).get("/admin/orgs/" + slug + "/imports")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> db.count(
                "select count(*) from scim.known_organization where slug = ?", other) == 1);
        given().baseUri(system.scim().url()).auth().oauth2(owner).get("/admin/orgs/" + other + "/scim/tokens")
                .then().statusCode(403).contentType("application/problem+json");
        given().baseUri(system.imports().url()).auth().oauth2(owner).get("/admin/orgs/" + other + "/imports")
                .then().statusCode(403);
    }

    @Test
    void anOrganizationCreatedWhileKafkaIsDownReachesEveryProjectionExactlyOnce() {
        kafka.stop();
        String slug = slug("outage");
        String orgId = createOrg(slug);
        await("sso-service tried to publish, failed and keeps the event").atMost(Duration.ofSeconds(30))
                .until(() -> db.count("select count(*) from sso.outbox where aggregate_id = ? and attempts > 0",
                        orgId) == 1);
        assertEquals(0, projected("scim", orgId));

        kafka.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> projected("scim", orgId) == 1
                && projected("imports", orgId) == 1 && projected("sso", orgId) == 1);
        assertEquals(1, kafka.readAll(Topics.ORGS).stream()
                .filter(record -> orgId.equals(record.key())).count());
        for (String schema : List.of("sso", "scim", "imports")) {
            assertEquals(1, db.count("select count(*) from " + schema + ".known_organization where slug = ?", slug));
        }
    }

    @Test
    void everyServiceReportsLivenessReadinessMetricsAndOpenApiOnItsManagementPortOnly() {
        for (Service service : system.all()) {
            given().baseUri(service.managementUrl()).get("/q/health/live").then().statusCode(200)
                    .body("status", equalTo("UP"));
            // ready again within seconds of anything the other tests did to Kafka (a consumer rejoins its group)
            await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(service.managementUrl())
                    .get("/q/health/ready").statusCode() == 200);
            given().baseUri(service.managementUrl()).get("/q/health/ready").then().statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.name", hasItems(containsString("Database"), containsString("Kafka")));
            given().baseUri(service.managementUrl()).get("/q/metrics").then().statusCode(200)
                    .body(containsString("keyway_outbox_published"));
            Map<String, Map<String, Object>> paths = given().baseUri(service.managementUrl())
                    .get("/q/openapi?format=json").then().statusCode(200).body(containsString("/admin/orgs"))
                    .extract().jsonPath().getMap("paths");
            List<Object> operationIds = paths.values().stream().flatMap(item -> item.values().stream())
                    .filter(Map.class::isInstance).<Object>map(operation -> ((Map<?, ?>) operation).get("operationId"))
                    .toList();
            // client generators name a method per operationId; a repeated one breaks them
            assertEquals(Set.copyOf(operationIds).size(), operationIds.size(), "operationIds of " + service.url());
            // the public port serves none of it
            for (String path : List.of("/q/health/ready", "/q/metrics", "/q/openapi")) {
                given().baseUri(service.url()).get(path).then().statusCode(404);
            }
        }
    }
}
