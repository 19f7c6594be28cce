package dev.keyway.sso;

import static org.hamcrest.Matchers.hasItem;

import java.net.URL;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.ManagementInterface;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Health, metrics and the OpenAPI document are served on the management port only, never on the public one. */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class ManagementInterfaceTest {

    /** The management interface's root path ({@code /q/}) on its own port. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void metricsOpenApiAndHealthAreOnTheManagementPortOnly() {
        ManagementInterface.servesOnlyOnItsOwnPort(management, "Keyway sso-service").get("/q/health/ready").then()
                .body("checks.name", hasItem("signing-keys"));
    }
}
