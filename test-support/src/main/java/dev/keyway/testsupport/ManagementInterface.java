package dev.keyway.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;

import io.restassured.specification.RequestSpecification;

/**
 * What every service's management interface promises: health, metrics and the OpenAPI document answer on the
 * management port and are absent from the public one.
 */
public final class ManagementInterface {

    private ManagementInterface() {
    }

    /**
     * Asserts the promise for the service under test, whose OpenAPI document has this title; returns requests to its
     * management port for service-specific checks.
     *
     * @param management the management interface's root, as {@code @TestHTTPResource(value = "/", management = true)}
     */
    public static RequestSpecification servesOnlyOnItsOwnPort(URL management, String openApiTitle) {
        for (String path : new String[]{ "/q/metrics", "/q/openapi", "/q/health/ready", "/q/health/live" }) {
            given().get(path).then().statusCode(404);
        }
        String port = management.getProtocol() + "://" + management.getHost() + ":" + management.getPort();
        given().baseUri(port).get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().baseUri(port).get("/q/openapi?format=json").then().statusCode(200)
                .body("info.title", equalTo(openApiTitle));
        given().baseUri(port).get("/q/health/ready").then().statusCode(200);
        return given().baseUri(port);
    }
}
