package dev.keyway.imports;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.JumpCloudTestResource;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Health, metrics and the OpenAPI document are served on the management port only, never on the public one. */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
@WithTestResource(JumpCloudTestResource.class)
class ManagementInterfaceTest {

    /** The management interface's root path ({@code /q/}) on its own port. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void metricsOpenApiAndHealthAreOnTheManagementPortOnly() {
        String managementPort = management.getProtocol() + "://" + management.getHost() + ":" + management.getPort();
        for (String path : new String[] { "/q/metrics", "/q/openapi", "/q/health/ready", "/q/health/live" }) {
            given().get(path).then().statusCode(404);
        }

        given().baseUri(managementPort).get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
        given().baseUri(managementPort).get("/q/openapi?format=json").then().statusCode(200)
                .body("info.title", equalTo("Keyway import-service"));
        given().baseUri(managementPort).get("/q/health/ready").then().statusCode(200);
    }
}
