package dev.keyway.imports.error;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.keyway.common.tenant.Region;
import dev.keyway.testsupport.BadInput;
import dev.keyway.testsupport.JumpCloudTestResource;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.OrgAnnouncements;
import dev.keyway.testsupport.OrgAnnouncements.TestOrg;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

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

    static Stream<BadInput> rows() {
        String unknown = "/" + UUID.randomUUID();
        return Stream.of(
                BadInput.json("malformed JSON", "POST", "", "{\"name\":", 400),
                BadInput.json("two documents", "POST", "", "{" + VALID + "} {}", 400),
                BadInput.json("nesting past the limit", "POST", "", "{" + VALID + ",\"x\":" + NESTED + "}", 400),
                BadInput.json("a 1001-digit number", "POST", "", "{" + VALID + ",\"x\":" + "9".repeat(1001) + "}", 400),
                BadInput.json("a huge number as interval", "POST", "", "{" + VALID + ",\"interval\":1e300}", 400),
                BadInput.json("an overflowing interval", "POST", "",
                        "{" + VALID + ",\"interval\":\"PT99999999999999999999H\"}",
                        400),
                BadInput.json("NUL in the name", "POST", "", "{" + VALID.replace("Staff", "St\\u0000aff") + "}", 400),
                BadInput.json("a lone surrogate in the name", "POST", "", "{" + VALID.replace("Staff", "\\ud800") + "}",
                        400),
                BadInput.json("NUL in the API key", "POST", "/validate",
                        "{\"apiKey\":\"k\\u0000\",\"dataCenter\":\"us\"}", 400),
                BadInput.json("CR LF in the API key", "POST", "/validate",
                        "{\"apiKey\":\"k\\r\\nX-Evil: 1\",\"dataCenter\":"
                                + "\"us\"}",
                        400),
                BadInput.json("a surrogate in the organization id", "POST", "/jumpcloud-groups",
                        "{\"apiKey\":\"k\",\"jumpcloudOrgId\":\"\\udc00\",\"dataCenter\":\"us\"}", 400),
                new BadInput("invalid UTF-8", "POST", "", "application/json",
                        BadInput.bytes("{" + VALID.replace("Staff\"", "St"), new byte[]{ (byte) 0xC3, 0x28 }, "\"}"),
                        400),
                BadInput.json("null as the body", "POST", "", "null", 400),
                BadInput.json("an array as the body", "POST", "", "[]", 400),
                BadInput.json("a string as groups", "POST", "", "{" + VALID.replace("[]", "\"all\"") + "}", 400),
                BadInput.json("numbers as groups", "POST", "", "{" + VALID.replace("[]", "[1,2]") + "}", 400),
                BadInput.json("a string as enabled", "POST", "", "{" + VALID + ",\"enabled\":\"perhaps\"}", 400),
                BadInput.json("an unknown data center", "POST", "/validate",
                        "{\"apiKey\":\"k\",\"dataCenter\":\"mars\"}", 400),
                new BadInput("a text body", "POST", "", "text/plain", VALID.getBytes(StandardCharsets.UTF_8), 415),
                BadInput.json("a PATCH to an id that is not one", "PATCH", "/not-an-id", "{\"enabled\":false}", 404),
                BadInput.json("a malformed PATCH to an unknown id", "PATCH", unknown, "{\"enabled\":", 400),
                new BadInput("NUL in an id", "GET", "/%00", null, null, 400),
                new BadInput("invalid UTF-8 in a run id", "GET", unknown + "/runs/%C3%28", null, null, 400));
    }

    private static long integrations() {
        return TestPostgres.get().count("select count(*) from imports.import_integration");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusedWithProblemJsonAndNothingWritten(BadInput row) {
        synchronized (BadAdminInputTest.class) {
            if (org == null) {
                org = OrgAnnouncements.announce("imports", "badinput", Region.API);
            }
        }
        long before = integrations();
        row.assertRefused(given().auth().oauth2(org.ownerToken()), "/admin/orgs/" + org.slug() + "/imports");
        assertEquals(before, integrations(), "nothing written");
    }
}
