package dev.keyway.scim;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.keyway.testsupport.BadInput;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The bad-input table of scim-service: each row is one hostile or careless request. Whatever it is, the answer is a
 * 4xx (never 5xx) in the protocol's own format (SCIM error JSON under /scim/v2, problem+json on the admin API), and a
 * refused write leaves the organization's users and groups exactly as they were.
 */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class BadInputTest {

    private static final String UNKNOWN = UUID.randomUUID().toString();
    private static final String NESTED = "[".repeat(5000) + "]".repeat(5000);
    private static final String DIGITS = "9".repeat(1000);
    private static final String LONG_DIGITS = "9".repeat(1001);

    /** One organization with one user and one group, shared by every row. */
    private static ScimOrg org;
    private static String user;
    private static String group;

    /** A request of the table; {@code body} null sends none; {@code scimType} null checks none. */
    record Row(String name, String method, String path, String contentType, byte[] body, int status, String scimType) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static synchronized ScimOrg org() {
        if (org == null) {
            org = ScimOrg.create("badinput");
            user = org.scim().body("{\"userName\":\"victim@acme.test\",\"title\":\"Kept\"}").post("/Users").then()
                    .statusCode(201).extract().path("id");
            group = org.scim().body("{\"displayName\":\"Kept\",\"members\":[{\"value\":\"" + user + "\"}]}")
                    .post("/Groups").then().statusCode(201).extract().path("id");
        }
        return org;
    }

    private static Row scim(String name, String method, String path, String body, int status, String scimType) {
        return new Row(name, method, path, "application/scim+json",
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), status, scimType);
    }

    private static Row admin(String name, String method, String path, String body, int status) {
        return new Row(name, method, path, "application/json",
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), status, null);
    }

    private static Row raw(String name, String method, String path, String contentType, byte[] body, int status,
            String scimType) {
        return new Row(name, method, path, contentType, body, status, scimType);
    }

    private static String ors(int terms) {
        StringBuilder filter = new StringBuilder();
        for (int i = 0; i < terms; i++) {
            filter.append(i == 0 ? "" : " or ").append("userName eq \"u").append(i).append('"');
        }
        return filter.toString();
    }

    static Stream<Row> scimRows() {
        byte[] invalidUtf8 = { (byte) 0xC3, (byte) 0x28 };
        byte[] overlongSlash = { (byte) 0xC0, (byte) 0xAF };
        byte[] encodedSurrogate = { (byte) 0xED, (byte) 0xA0, (byte) 0x80 };
        return Stream.of(
                // syntax
                scim("nesting past the parser's limit", "POST", "/Users",
                        "{\"userName\":\"deep@acme.test\",\"x\":" + NESTED + "}", 400, "invalidSyntax"),
                scim("nesting in a PATCH", "PATCH", "/Users/{user}",
                        "{\"Operations\":[{\"op\":\"add\",\"path\":\"title\",\"value\":" + NESTED + "}]}", 400,
                        "invalidSyntax"),
                scim("a 1001-digit number", "POST", "/Users",
                        "{\"userName\":\"n@acme.test\",\"x\":" + LONG_DIGITS + "}", 400, "invalidSyntax"),
                scim("a 1000-digit number as userName", "POST", "/Users", "{\"userName\":" + DIGITS + "}", 400,
                        "invalidSyntax"),
                scim("a 1000-digit number as active", "POST", "/Users",
                        "{\"userName\":\"n@acme.test\",\"active\":" + DIGITS + "}", 400, "invalidSyntax"),
                scim("an exponent beyond double", "POST", "/Users",
                        "{\"userName\":\"e@acme.test\",\"title\":1e999999}", 400, "invalidValue"),
                scim("NUL in userName", "POST", "/Users", "{\"userName\":\"nul\\u0000@acme.test\"}", 400,
                        "invalidValue"),
                scim("NUL in a nested value", "POST", "/Users",
                        "{\"userName\":\"nul2@acme.test\",\"name\":{\"givenName\":\"a\\u0000b\"}}", 400,
                        "invalidValue"),
                scim("NUL in an ignored attribute", "POST", "/Users",
                        "{\"userName\":\"nul3@acme.test\",\"favorite\\u0000\":\"x\"}", 400, "invalidValue"),
                scim("a lone high surrogate", "POST", "/Users", "{\"userName\":\"s\\ud800@acme.test\"}", 400,
                        "invalidValue"),
                scim("a lone low surrogate", "POST", "/Users", "{\"userName\":\"s\\udc00@acme.test\"}", 400,
                        "invalidValue"),
                scim("NUL in a PATCH value", "PATCH", "/Users/{user}",
                        "{\"Operations\":[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"a\\u0000\"}]}", 400,
                        "invalidValue"),
                scim("a surrogate in a group name", "PATCH", "/Groups/{group}",
                        "{\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"\\udfff\"}]}",
                        400, "invalidValue"),
                raw("invalid UTF-8 in a string", "POST", "/Users", "application/scim+json",
                        BadInput.bytes("{\"userName\":\"bad", invalidUtf8, "@acme.test\"}"), 400, "invalidSyntax"),
                raw("overlong UTF-8", "POST", "/Users", "application/scim+json",
                        BadInput.bytes("{\"userName\":\"bad", overlongSlash, "@acme.test\"}"), 400, "invalidSyntax"),
                raw("an encoded surrogate (CESU-8)", "PUT", "/Users/{user}", "application/scim+json",
                        BadInput.bytes("{\"userName\":\"bad", encodedSurrogate, "@acme.test\"}"), 400, "invalidSyntax"),
                raw("invalid UTF-8 declared as ISO-8859-1", "POST", "/Users",
                        "application/scim+json; charset=ISO-8859-1",
                        BadInput.bytes("{\"userName\":\"bad", invalidUtf8, "@acme.test\"}"), 400, "invalidSyntax"),
                raw("a raw NUL byte", "POST", "/Users", "application/scim+json",
                        BadInput.bytes("{\"userName\":\"bad", new byte[]{ 0 }, "@acme.test\"}"), 400, "invalidSyntax"),
                scim("null as the body", "POST", "/Users", "null", 400, "invalidSyntax"),
                scim("an array as the body", "POST", "/Groups", "[{\"displayName\":\"x\"}]", 400, "invalidSyntax"),
                scim("a string as the body", "PUT", "/Users/{user}", "\"x\"", 400, "invalidSyntax"),
                scim("no body", "POST", "/Users", null, 400, "invalidSyntax"),
                scim("two documents", "POST", "/Users", "{\"userName\":\"a@acme.test\"} {}", 400, "invalidSyntax"),
                raw("XML", "POST", "/Users", "application/xml", "<User><userName>x</userName></User>"
                        .getBytes(StandardCharsets.UTF_8), 400, "invalidSyntax"),
                raw("a form", "POST", "/Groups", "text/plain",
                        "displayName=x".getBytes(StandardCharsets.UTF_8), 400, "invalidSyntax"),
                // wrong types
                scim("an array as userName", "POST", "/Users", "{\"userName\":[\"a\"]}", 400, "invalidValue"),
                scim("an array as name", "POST", "/Users", "{\"userName\":\"t@acme.test\",\"name\":[1]}", 400,
                        "invalidValue"),
                scim("arrays in emails", "POST", "/Users", "{\"userName\":\"t@acme.test\",\"emails\":[[1]]}", 400,
                        "invalidValue"),
                scim("an object as a group member", "POST", "/Groups",
                        "{\"displayName\":\"t\",\"members\":[{\"value\":{\"a\":1}}]}", 400, null),
                scim("a string as the enterprise extension", "POST", "/Users",
                        "{\"userName\":\"t@acme.test\",\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":\"x\"}",
                        400, "invalidValue"),
                // malformed bodies are refused before the resource is looked up
                scim("a malformed PATCH to an unknown id", "PATCH", "/Users/" + UNKNOWN, "{\"Operations\":", 400,
                        "invalidSyntax"),
                scim("a PATCH without Operations to an unknown id", "PATCH", "/Users/" + UNKNOWN, "{}", 400,
                        "invalidSyntax"),
                scim("a bad PATCH path to an unknown id", "PATCH", "/Users/" + UNKNOWN,
                        "{\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[type eq\",\"value\":\"x\"}]}", 400,
                        "invalidPath"),
                scim("a bad PATCH path to an unknown group", "PATCH", "/Groups/" + UNKNOWN,
                        "{\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName..x\",\"value\":\"x\"}]}", 400,
                        "invalidPath"),
                scim("a PUT without userName to an unknown id", "PUT", "/Users/" + UNKNOWN, "{\"title\":\"x\"}", 400,
                        "invalidValue"),
                scim("a malformed PATCH to a malformed id", "PATCH", "/Users/not-an-id", "{", 400, "invalidSyntax"),
                // list and filter parameters
                scim("a startIndex beyond long", "GET", "/Users?startIndex=99999999999999999999999", null, 400,
                        "invalidValue"),
                scim("a count beyond long", "GET", "/Groups?count=99999999999999999999999", null, 400, "invalidValue"),
                scim("a sortOrder that is neither", "GET", "/Users?sortOrder=sideways", null, 400, "invalidValue"),
                scim("a sortBy that is not an attribute", "GET", "/Users?sortBy=emails%5Btype%20eq", null, 400, null),
                scim("attributes naming an unknown schema", "GET", "/Users?attributes=urn:nope:2.0:X:a%5B", null, 400,
                        null),
                scim("NUL in a filter value", "GET", "/Users?filter=userName%20eq%20%22a%00b%22", null, 400,
                        "invalidValue"),
                scim("a lone surrogate in a filter", "POST", "/Users/.search",
                        "{\"filter\":\"userName eq \\\"\\ud800\\\"\"}", 400, "invalidValue"),
                scim("NUL in a filtered e-mail", "GET", "/Users?filter=emails.value%20eq%20%22%00%22", null, 400,
                        "invalidValue"),
                scim("invalid UTF-8 in a filter", "GET", "/Users?filter=userName%20eq%20%22%C3%28%22", null, 400,
                        "invalidValue"),
                scim("a filter nested 2000 deep", "POST", "/Users/.search",
                        "{\"filter\":\"" + "(".repeat(2000) + "userName eq \\\"x\\\"" + ")".repeat(2000) + "\"}", 400,
                        "invalidFilter"),
                scim("a filter of 10,000 ORs", "POST", "/Users/.search", "{\"filter\":\"" + ors(10_000)
                        .replace("\"", "\\\"") + "\"}", 400, "invalidFilter"),
                scim("a filter with a huge number", "GET", "/Users?filter=meta.version%20gt%20" + DIGITS, null, 400,
                        "invalidFilter"),
                scim("a search body that is an array", "POST", "/Groups/.search", "[]", 400, "invalidSyntax"),
                scim("a search with an object as count", "POST", "/Users/.search", "{\"count\":{\"a\":1}}", 400,
                        "invalidValue"),
                // Bulk
                scim("null as a bulk request", "POST", "/Bulk", "null", 400, "invalidSyntax"),
                scim("Operations that are not an array", "POST", "/Bulk", "{\"Operations\":\"all\"}", 400,
                        "invalidSyntax"),
                scim("failOnErrors that is not a number", "POST", "/Bulk",
                        "{\"failOnErrors\":\"x\",\"Operations\":[{\"method\":\"DELETE\",\"path\":\"/Users/{user}\"}]}",
                        400, "invalidValue"),
                scim("nesting in a bulk operation", "POST", "/Bulk",
                        "{\"Operations\":[{\"method\":\"POST\",\"path\":\"/Users\",\"data\":" + NESTED + "}]}", 400,
                        "invalidSyntax"),
                scim("NUL in a bulk operation's data", "POST", "/Bulk", "{\"Operations\":[{\"method\":\"POST\","
                        + "\"path\":\"/Users\",\"data\":{\"userName\":\"\\u0000\"}}]}", 400, "invalidValue"),
                scim("a surrogate in a bulk operation's data", "POST", "/Bulk", "{\"Operations\":[{\"method\":"
                        + "\"POST\",\"path\":\"/Groups\",\"data\":{\"displayName\":\"\\ud800\"}}]}", 400,
                        "invalidValue"),
                scim("NUL in a bulk path", "POST", "/Bulk",
                        "{\"Operations\":[{\"method\":\"DELETE\",\"path\":\"/Users/\\u0000\"}]}", 400, "invalidValue"),
                // discovery
                scim("POST to ServiceProviderConfig", "POST", "/ServiceProviderConfig", "{}", 405, null),
                scim("PUT to Schemas", "PUT", "/Schemas", "{}", 405, null),
                scim("an unknown schema URN", "GET", "/Schemas/urn:nope:2.0:X", null, 404, null),
                scim("NUL in a schema URN", "GET", "/Schemas/urn:nope%00", null, 400, "invalidValue"),
                scim("an encoded surrogate in a path", "GET", "/ResourceTypes/%ED%A0%80", null, 400, "invalidValue"));
    }

    /** Bulk operations that each fail on their own: the request is 200, every operation a 4xx, nothing written. */
    static Stream<Arguments> bulkOperations() {
        return Stream.of(
                Arguments.of("null", "null"),
                Arguments.of("a number", "1"),
                Arguments.of("null data", "{\"method\":\"POST\",\"path\":\"/Users\",\"data\":null}"),
                Arguments.of("a PATCH without data", "{\"method\":\"PATCH\",\"path\":\"/Users/{user}\"}"),
                Arguments.of("an object as method", "{\"method\":{},\"path\":\"/Users\"}"),
                Arguments.of("a bulkId reference to nothing",
                        "{\"method\":\"PUT\",\"path\":\"/Users/bulkId:nothing\",\"data\":{\"userName\":\"x\"}}"));
    }

    private static long footprint() {
        String orgId = org().org().id().toString();
        return TestPostgres.get().count("select (select count(*) + coalesce(sum(version), 0) from scim.scim_user "
                + "where org_id = ?::uuid) + (select count(*) + coalesce(sum(version), 0) from scim.scim_group "
                + "where org_id = ?::uuid) + (select count(*) from scim.group_member gm join scim.scim_group g "
                + "on g.id = gm.group_id where g.org_id = ?::uuid)", orgId, orgId, orgId);
    }

    private static Response send(RequestSpecification request, String method, String path, String contentType,
            byte[] body) {
        request = request.urlEncodingEnabled(false);
        if (contentType != null) {
            request = request.contentType(contentType);
        }
        if (body != null) {
            request = request.body(body);
        }
        return request.request(method, path.replace("{user}", user).replace("{group}", group));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scimRows")
    void scimRefusesInItsOwnFormatAndWritesNothing(Row row) {
        ScimOrg org = org();
        long before = footprint();
        Response response = send(given().auth().oauth2(org.token()).basePath("/scim/v2"), row.method(), row.path(),
                row.contentType(), row.body());
        response.then().statusCode(row.status())
                .contentType(startsWith("application/scim+json"))
                .body("schemas", hasItem("urn:ietf:params:scim:api:messages:2.0:Error"))
                .body("status", equalTo(Integer.toString(row.status())))
                .body("detail", not(containsString("Exception")));
        if (row.scimType() != null) {
            response.then().body("scimType", equalTo(row.scimType()));
        }
        assertEquals(before, footprint(), "nothing written");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bulkOperations")
    void badBulkOperationsFailOneByOneWithA4xx(String name, String operation) {
        ScimOrg org = org();
        long before = footprint();
        org.scim().body("{\"Operations\":[" + operation.replace("{user}", user) + "]}").post("/Bulk").then()
                .statusCode(200)
                .body("Operations.status", everyItem(both(greaterThanOrEqualTo("400")).and(lessThan("500"))))
                .body("Operations[0].response.schemas", hasItem("urn:ietf:params:scim:api:messages:2.0:Error"));
        assertEquals(before, footprint(), "nothing written");
    }

    static Stream<Row> adminRows() {
        byte[] invalidUtf8 = { (byte) 0xC3, (byte) 0x28 };
        String settings = "/admin/orgs/{slug}/scim/settings";
        String department = "/admin/orgs/{slug}/departments/" + UNKNOWN;
        return Stream.of(
                admin("malformed JSON", "PATCH", settings, "{\"groupsEnabled\":", 400),
                admin("nesting past the parser's limit", "PATCH", settings, "{\"x\":" + NESTED + "}", 400),
                admin("a 1001-digit number", "PATCH", settings, "{\"groupsEnabled\":" + LONG_DIGITS + "}", 400),
                admin("a string as a boolean", "PATCH", settings, "{\"groupsEnabled\":\"perhaps\"}", 400),
                admin("NUL as a boolean", "PATCH", department, "{\"enabled\":\"\\u0000\"}", 400),
                admin("an array as a boolean", "PATCH", department, "{\"enabled\":[true]}", 400),
                admin("null as the body", "PATCH", settings, "null", 400),
                admin("an array as the body", "PATCH", settings, "[]", 400),
                raw("invalid UTF-8", "PATCH", settings, "application/json",
                        BadInput.bytes("{\"groupsEnabled\":\"", invalidUtf8, "\"}"), 400, null),
                raw("a text body", "PATCH", settings, "text/plain",
                        "groupsEnabled=true".getBytes(StandardCharsets.UTF_8), 415, null),
                admin("a department id that is not one", "PATCH", "/admin/orgs/{slug}/departments/x",
                        "{\"enabled\":true}", 404),
                admin("NUL in a department id", "PATCH", "/admin/orgs/{slug}/departments/%00", "{\"enabled\":true}",
                        400),
                admin("NUL in the slug", "GET", "/admin/orgs/a%00b/scim/settings", null, 400),
                admin("invalid UTF-8 in the slug", "GET", "/admin/orgs/a%C3%28/scim/settings", null, 400),
                admin("a token id that is not one", "DELETE", "/admin/orgs/{slug}/scim/tokens/x", null, 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminRows")
    void adminRefusesWithProblemJson(Row row) {
        ScimOrg org = org();
        long settingsBefore = TestPostgres.get().count("select count(*) from scim.scim_settings");
        Response response = send(given().auth().oauth2(org.org().ownerToken()), row.method(),
                row.path().replace("{slug}", org.slug()), row.contentType(), row.body());
        response.then().statusCode(row.status())
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(row.status()))
                .body("detail", not(containsString("Exception")));
        assertEquals(settingsBefore, TestPostgres.get().count("select count(*) from scim.scim_settings"));
    }
}
