package dev.keyway.sso.organization;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.OrganizationState;
import dev.keyway.common.event.Topics;
import dev.keyway.common.tenant.Region;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class OrganizationsTest {

    /** Every event sso-service ever numbered (the relay deletes what it published, the numbers stay). */
    private static final String EVENTS_WRITTEN = "select coalesce(sum(last_sequence), 0) from sso.outbox_sequence";

    static final String OPERATOR = "Bearer test-operator-token";

    static String createOrg(String slug) {
        return given().header("Authorization", OPERATOR).contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"displayName\":\"Org " + slug + "\",\"region\":\"api\"}")
                .post("/admin/orgs")
                .then().statusCode(201)
                .extract().path("id");
    }

    static String uniqueSlug(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theOperatorRegistersAnOrganizationAndItIsAnnouncedOnKafka() {
        String slug = uniqueSlug("acme");
        String id = given().header("Authorization", OPERATOR).contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"displayName\":\"  Acme Corp \",\"region\":\"api\"}")
                .post("/admin/orgs")
                .then().statusCode(201)
                .header("Location", Matchers.endsWith("/admin/orgs/" + slug))
                .body("slug", equalTo(slug))
                .body("displayName", equalTo("Acme Corp"))
                .body("region", equalTo("api"))
                .body("createdAt", notNullValue())
                .extract().path("id");

        given().header("Authorization", OPERATOR).get("/admin/orgs/" + slug)
                .then().statusCode(200).body("id", equalTo(id)).body("displayName", equalTo("Acme Corp"));

        await("the relay published the announcement").atMost(Duration.ofSeconds(10)).until(() -> TestPostgres.get()
                .count("select count(*) from sso.outbox where aggregate_id = ?", id) == 0);
        List<EventEnvelope> announced = TestKafka.get().readAll(Topics.ORGS).stream()
                .filter(record -> id.equals(record.key()))
                .map(ConsumerRecord::value).map(EventCodec::decode).map(Optional::orElseThrow).toList();
        assertEquals(1, announced.size());
        OrganizationState state = announced.get(0).payload(OrganizationState.class);
        assertEquals(slug, state.slug().value());
        assertEquals(Region.API, state.region());
        assertEquals(1, announced.get(0).sequence());

        await().atMost(Duration.ofSeconds(10)).until(() -> TestPostgres.get()
                .count("select count(*) from sso.known_organization where id = ?::uuid", id) == 1);
    }

    @Test
    void aTakenSlugIsAConflict() {
        String slug = uniqueSlug("taken");
        createOrg(slug);

        given().header("Authorization", OPERATOR).contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"displayName\":\"Again\",\"region\":\"api\"}")
                .post("/admin/orgs")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("detail", containsString(slug));
        assertEquals(1, TestPostgres.get().count("select count(*) from sso.organization where slug = ?", slug));
    }

    @Test
    void badInputIsRefusedInProblemJsonAndNothingIsWritten() {
        long orgs = TestPostgres.get().count("select count(*) from sso.organization");
        long events = TestPostgres.get().count(EVENTS_WRITTEN);

        refused("{\"slug\":\"ok-slug\",", 400, "not valid JSON");
        refused("[1,2]", 400, "wrong shape");
        refused("{\"slug\":\"mars-org\",\"displayName\":\"Mars\",\"region\":\"mars\"}", 400, "region");
        refused("{\"slug\":\"Bad_Slug!\",\"displayName\":\"Bad\",\"region\":\"api\"}", 400, "slug");
        refused("{\"slug\":\"-edge\",\"displayName\":\"Bad\",\"region\":\"api\"}", 400, "slug");
        refused("{\"slug\":\"no-name\",\"region\":\"api\"}", 400, "displayName");
        refused("{\"slug\":\"eu-org\",\"displayName\":\"EU\",\"region\":\"eu\"}", 400, "created there");
        refused("{\"slug\":\"huge\",\"displayName\":\"" + "x".repeat(300 * 1024) + "\",\"region\":\"api\"}", 413,
                "larger than");
        given().header("Authorization", OPERATOR).contentType(ContentType.TEXT).body("slug=x")
                .post("/admin/orgs").then().statusCode(415).contentType("application/problem+json");

        assertEquals(orgs, TestPostgres.get().count("select count(*) from sso.organization"));
        assertEquals(events, TestPostgres.get().count(EVENTS_WRITTEN));
    }

    private static void refused(String body, int status, String detail) {
        given().header("Authorization", OPERATOR).contentType(ContentType.JSON).body(body)
                .post("/admin/orgs")
                .then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("detail", containsString(detail))
                .body(Matchers.not(containsString("Exception")))
                .body(Matchers.not(containsString("dev.keyway")));
    }

    @Test
    void anUnknownOrganizationIsNotFound() {
        given().header("Authorization", OPERATOR).get("/admin/orgs/nobody-here")
                .then().statusCode(404).contentType("application/problem+json");
    }
}
