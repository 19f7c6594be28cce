package dev.keyway.imports.error;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.keyway.common.tenant.Region;
import dev.keyway.testsupport.JumpCloudTestResource;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.OrgAnnouncements;
import dev.keyway.testsupport.OrgAnnouncements.TestOrg;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * The bad-input table of import-service's admin API: every row is refused with a 4xx problem+json (never a 5xx) and
 * no integration is written.
 */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
@WithTestResource(JumpCloudTestResource.class)
class BadAdminInputTest {

    private static final String NESTED = "[".repeat(5000) + "]".repeat(5000);
    private static final String VALID = "\"name\":\"Staff\",\"apiKey\":\"key\",\"dataCenter\":\"us\",\"groups\":[]";

    private static TestOrg org;

    record Row(String name, String method, String path, String contentType, byte[] body, int status) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static Row json(String name, String method, String path, String body, int status) {
        return new Row(name, method, path, "application/json", body.getBytes(StandardCharsets.UTF_8), status);
    }

    private static byte[] bytes(String prefix, byte[] middle, String suffix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(suffix.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static Stream<Row> rows() {
        String unknown = "/" + UUID.randomUUID();
        return Stream.of(
                json("malformed JSON", "POST", "", "{\"name\":", 400),
                json("two documents", "POST", "", "{" + VALID + "} {}", 400),
                json("nesting past the limit", "POST", "", "{" + VALID + ",\"x\":" + NESTED + "}", 400),
                json("a 1001-digit number", "POST", "", "{" + VALID + ",\"x\":" + "9".repeat(1001) + "}", 400),
                json("a huge number as interval", "POST", "", "{" + VALID + ",\"interval\":1e300}", 400),
                json("an overflowing interval", "POST", "", "{" + VALID + ",\"interval\":\"PT99999999999999999999H\"}",
                        400),
                json("NUL in the name", "POST", "", "{" + VALID.replace("Staff", "St\\u0000aff") + "}", 400),
                json("a lone surrogate in the name", "POST", "", "{" + VALID.replace("Staff", "\\ud800") + "}", 400),
                json("NUL in the API key", "POST", "/validate", "{\"apiKey\":\"k\\u0000\",\"dataCenter\":\"us\"}", 400),
                json("CR LF in the API key", "POST", "/validate", "{\"apiKey\":\"k\\r\\nX-Evil: 1\",\"dataCenter\":"
                        + "\"us\"}", 400),
                json("a surrogate in the organization id", "POST", "/jumpcloud-groups",
                        "{\"apiKey\":\"k\",\"jumpcloudOrgId\":\"\\udc00\",\"dataCenter\":\"us\"}", 400),
                new Row("invalid UTF-8", "POST", "", "application/json",
                        bytes("{" + VALID.replace("Staff\"", "St"), new byte[]{ (byte) 0xC3, 0x28 }, "\"}"), 400),
                json("null as the body", "POST", "", "null", 400),
                json("an array as the body", "POST", "", "[]", 400),
                json("a string as groups", "POST", "", "{" + VALID.replace("[]", "\"all\"") + "}", 400),
                json("numbers as groups", "POST", "", "{" + VALID.replace("[]", "[1,2]") + "}", 400),
                json("a string as enabled", "POST", "", "{" + VALID + ",\"enabled\":\"perhaps\"}", 400),
                json("an unknown data center", "POST", "/validate", "{\"apiKey\":\"k\",\"dataCenter\":\"mars\"}", 400),
                new Row("a text body", "POST", "", "text/plain", VALID.getBytes(StandardCharsets.UTF_8), 415),
                json("a PATCH to an id that is not one", "PATCH", "/not-an-id", "{\"enabled\":false}", 404),
                json("a malformed PATCH to an unknown id", "PATCH", unknown, "{\"enabled\":", 400),
                new Row("NUL in an id", "GET", "/%00", null, null, 400),
                new Row("invalid UTF-8 in a run id", "GET", unknown + "/runs/%C3%28", null, null, 400));
    }

    private static long integrations() {
        return TestPostgres.get().count("select count(*) from imports.import_integration");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusedWithProblemJsonAndNothingWritten(Row row) {
        synchronized (BadAdminInputTest.class) {
            if (org == null) {
                org = OrgAnnouncements.announce("imports", "badinput", Region.API);
            }
        }
        long before = integrations();
        RequestSpecification request = given().auth().oauth2(org.ownerToken()).urlEncodingEnabled(false);
        if (row.contentType() != null) {
            request = request.contentType(row.contentType());
        }
        if (row.body() != null) {
            request = request.body(row.body());
        }
        request.request(row.method(), "/admin/orgs/" + org.slug() + "/imports" + row.path()).then()
                .statusCode(row.status())
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(row.status()))
                .body("detail", not(containsString("Exception")));
        assertEquals(before, integrations(), "nothing written");
    }
}
