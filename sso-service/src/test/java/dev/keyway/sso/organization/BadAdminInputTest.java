package dev.keyway.sso.organization;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.keyway.testsupport.BadInput;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The bad-input table of sso-service's organization admin API: every row is refused with a 4xx problem+json (never
 * a 5xx) and no organization is written.
 */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class BadAdminInputTest {

    private static final String NESTED = "[".repeat(5000) + "]".repeat(5000);

    private static BadInput json(String name, String body, int status) {
        return BadInput.json(name, "POST", "/admin/orgs", body, status);
    }

    private static String org(String displayName) {
        return "{\"slug\":\"bad-" + System.nanoTime() + "\",\"displayName\":\"" + displayName
                + "\",\"region\":\"api\"}";
    }

    static Stream<BadInput> rows() {
        return Stream.of(
                json("malformed JSON", "{\"slug\":", 400),
                json("two documents", org("Two") + " {}", 400),
                json("nesting past the limit", "{\"slug\":" + NESTED + "}", 400),
                json("a 1001-digit number", "{\"slug\":" + "9".repeat(1001) + "}", 400),
                json("NUL in the display name", org("Acme\\u0000"), 400),
                json("a lone surrogate in the display name", org("Acme \\ud83d"), 400),
                json("NUL in the slug", "{\"slug\":\"a\\u0000b\",\"displayName\":\"x\",\"region\":\"api\"}", 400),
                new BadInput("invalid UTF-8", "POST", "/admin/orgs", "application/json",
                        BadInput.bytes(org("Acme").replace("Acme\"", "Acme"), new byte[]{ (byte) 0xFF }, "\"}"), 400),
                json("null as the body", "null", 400),
                json("an array as the body", "[]", 400),
                json("an object as the slug", "{\"slug\":{},\"displayName\":\"x\",\"region\":\"api\"}", 400),
                json("an unknown region", "{\"slug\":\"bad-region\",\"displayName\":\"x\",\"region\":\"mars\"}", 400),
                new BadInput("a text body", "POST", "/admin/orgs", "text/plain",
                        org("Acme").getBytes(StandardCharsets.UTF_8), 415),
                new BadInput("NUL in a slug path", "GET", "/admin/orgs/a%00b", null, null, 400),
                new BadInput("invalid UTF-8 in a slug path", "POST", "/admin/orgs/a%C3%28/owner-tokens", null, null,
                        400));
    }

    private static long organizations() {
        return TestPostgres.get().count("select count(*) from sso.organization");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusedWithProblemJsonAndNothingWritten(BadInput row) {
        long before = organizations();
        row.assertRefused(given().header("Authorization", OrganizationsTest.OPERATOR), "");
        assertEquals(before, organizations(), "nothing written");
    }
}
