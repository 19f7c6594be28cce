package dev.keyway.imports;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.keyway.testsupport.OrgAnnouncements.TestOrg;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** The import admin API as a customer's IT admin calls it, for tests. */
public final class ImportsAdmin {

    private ImportsAdmin() {
    }

    public static String base(TestOrg org) {
        return "/admin/orgs/" + org.slug() + "/imports";
    }

    /** A JumpCloud group to import, into the Keyway group of the same name. */
    public static Map<String, String> group(String jumpcloudGroupId) {
        return Map.of("jumpcloudGroupId", jumpcloudGroupId);
    }

    public static Map<String, Object> integration(String name, String apiKey, List<Map<String, String>> groups,
            boolean enabled) {
        return Map.of("name", name, "apiKey", apiKey, "dataCenter", "us", "groups", groups, "enabled", enabled);
    }

    public static ValidatableResponse post(TestOrg org, String path, Object body) {
        return given().auth().oauth2(org.ownerToken()).contentType("application/json").body(body)
                .post(base(org) + path).then();
    }

    public static ValidatableResponse get(TestOrg org, String path) {
        return given().auth().oauth2(org.ownerToken()).get(base(org) + path).then();
    }

    /** Creates an integration and answers its id. */
    public static String create(TestOrg org, Map<String, Object> body) {
        return post(org, "", body).statusCode(201).extract().path("id");
    }

    /** Starts a run now and waits until it has ended; answers the finished run. */
    public static JsonPath runToEnd(TestOrg org, String integrationId) {
        String runId = post(org, "/" + integrationId + "/runs", "").statusCode(202).extract().path("id");
        return awaitEnd(org, integrationId, runId);
    }

    public static JsonPath awaitEnd(TestOrg org, String integrationId, String runId) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> get(org, "/" + integrationId + "/runs/" + runId).statusCode(200).extract().jsonPath(),
                        run -> !"running".equals(run.getString("status")));
    }
}
