package dev.keyway.sso.organization;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * The bad-input table of sso-service's organization admin API: every row is refused with a 4xx problem+json (never
 * a 5xx) and no organization is written.
 */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class BadAdminInputTest {

    private static final String NESTED = "[".repeat(5000) + "]".repeat(5000);

    record Row(String name, String method, String path, String contentType, byte[] body, int status) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static Row json(String name, String body, int status) {
        return new Row(name, "POST", "/admin/orgs", "application/json", body.getBytes(StandardCharsets.UTF_8), status);
    }

    private static String org(String displayName) {
        return "{\"slug\":\"bad-" + System.nanoTime() + "\",\"displayName\":\"" + displayName
                + "\",\"region\":\"api\"}";
    }

    private static byte[] bytes(String prefix, byte[] middle, String suffix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(suffix.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static Stream<Row> rows() {
        return Stream.of(
                json("malformed JSON", "{\"slug\":", 400),
                json("two documents", org("Two") + " {}", 400),
                json("nesting past the limit", "{\"slug\":" + NESTED + "}", 400),
                json("a 1001-digit number", "{\"slug\":" + "9".repeat(1001) + "}", 400),
                json("NUL in the display name", org("Acme\\u0000"), 400),
                json("a lone surrogate in the display name", org("Acme \\ud83d"), 400),
                json("NUL in the slug", "{\"slug\":\"a\\u0000b\",\"displayName\":\"x\",\"region\":\"api\"}", 400),
                new Row("invalid UTF-8", "POST", "/admin/orgs", "application/json",
                        bytes(org("Acme").replace("Acme\"", "Acme"), new byte[]{ (byte) 0xFF }, "\"}"), 400),
                json("null as the body", "null", 400),
                json("an array as the body", "[]", 400),
                json("an object as the slug", "{\"slug\":{},\"displayName\":\"x\",\"region\":\"api\"}", 400),
                json("an unknown region", "{\"slug\":\"bad-region\",\"displayName\":\"x\",\"region\":\"mars\"}", 400),
                new Row("a text body", "POST", "/admin/orgs", "text/plain",
                        org("Acme").getBytes(StandardCharsets.UTF_8), 415),
                new Row("NUL in a slug path", "GET", "/admin/orgs/a%00b", null, null, 400),
                new Row("invalid UTF-8 in a slug path", "POST", "/admin/orgs/a%C3%28/owner-tokens", null, null, 400));
    }

    private static long organizations() {
        return TestPostgres.get().count("select count(*) from sso.organization");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusedWithProblemJsonAndNothingWritten(Row row) {
        long before = organizations();
        RequestSpecification request = given().header("Authorization", OrganizationsTest.OPERATOR)
                .urlEncodingEnabled(false);
        if (row.contentType() != null) {
            request = request.contentType(row.contentType());
        }
        if (row.body() != null) {
            request = request.body(row.body());
        }
        request.request(row.method(), row.path()).then()
                .statusCode(row.status())
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(row.status()))
                .body("detail", not(containsString("Exception")));
        assertEquals(before, organizations(), "nothing written");
    }
}
