package dev.keyway.scim;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Replays Okta's published SCIM 2.0 acceptance script (a Runscope export, kept unchanged under
 * {@code conformance/okta}) against this server: every request step, with its headers and body, and every
 * declarative assertion it makes.
 */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class OktaConformanceTest {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{(\\w+)}}");

    @Test
    void oktasScimSpecTestPasses() throws IOException {
        ScimOrg org = ScimOrg.create("okta");
        // the script's first step expects the server to hold at least one user
        org.scim().body("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"existing.user@atko.test",
                 "name":{"givenName":"Existing","familyName":"User"},
                 "emails":[{"value":"existing.user@atko.test","type":"work","primary":true}]}""")
                .post("/Users").then().statusCode(201);

        Map<String, String> variables = scriptVariables(org);
        JsonNode script;
        try (InputStream in = getClass().getResourceAsStream("/conformance/okta/Okta-SCIM-20-SPEC-Test.json")) {
            script = new ObjectMapper().readTree(in);
        }
        int requests = 0;
        for (JsonNode step : script.get("steps")) {
            if (!"request".equals(step.path("step_type").asText()) || step.path("skipped").asBoolean()) {
                continue;
            }
            requests++;
            String note = step.path("note").asText();
            Response response = send(step, variables);
            for (JsonNode assertion : step.path("assertions")) {
                check(note, assertion, response, variables);
            }
            for (JsonNode variable : step.path("variables")) {
                Object value = response.jsonPath().get(variable.get("property").asText());
                assertNotNull(value, note + ": no " + variable.get("property").asText() + " to remember");
                variables.put(variable.get("name").asText(), value.toString());
            }
        }
        assertEquals(12, requests, "the script's twelve request steps all ran");
    }

    private static Map<String, String> scriptVariables(ScimOrg org) {
        // as the script's initial JavaScript generates them
        Random random = new Random();
        String givenName = "Runscope" + (100 + random.nextInt(900));
        String familyName = "Lovelace" + (100 + random.nextInt(900));
        String email = (givenName + familyName + "@atko.com").toLowerCase(Locale.ROOT);
        Map<String, String> variables = new HashMap<>();
        variables.put("SCIMBaseURL", "/scim/v2");
        variables.put("auth", "Bearer " + org.token());
        variables.put("randomGivenName", givenName);
        variables.put("randomFamilyName", familyName);
        variables.put("randomUsername", email);
        variables.put("randomEmail", email);
        variables.put("randomUsernameCaps", email.toUpperCase(Locale.ROOT));
        variables.put("InvalidUserEmail", "nobody-" + random.nextInt(1_000_000) + "@atko.com");
        variables.put("UserIdThatDoesNotExist", "010101001010101010");
        return variables;
    }

    private static Response send(JsonNode step, Map<String, String> variables) {
        RequestSpecification request = given().urlEncodingEnabled(false);
        step.path("headers").properties().forEach(header -> header.getValue()
                .forEach(value -> request.header(header.getKey(), substitute(value.asText(), variables))));
        String body = step.path("body").asText("");
        if (!body.isEmpty()) {
            request.body(substitute(body, variables));
        }
        String url = substitute(step.get("url").asText(), variables).replace(" ", "%20").replace("\"", "%22");
        return request.request(step.get("method").asText(), url);
    }

    private static void check(String note, JsonNode assertion, Response response, Map<String, String> variables) {
        String source = assertion.path("source").asText();
        String comparison = assertion.path("comparison").asText();
        String expected = substitute(assertion.path("value").asText(""), variables);
        Object actual = switch (source) {
            case "response_status" -> response.statusCode();
            case "response_time" -> response.time();
            default -> new JsonPath(response.asString()).get(assertion.path("property").asText());
        };
        String what = note + ": " + assertion.path("property").asText(source) + " " + comparison + " " + expected
                + " (was " + actual + ")";
        switch (comparison) {
            case "equal_number", "equal" -> assertEquals(expected, String.valueOf(actual), what);
            case "not_empty" -> assertTrue(actual != null && !String.valueOf(actual).isEmpty()
                    && !(actual instanceof List<?> list && list.isEmpty()), what);
            case "is_a_number" -> assertTrue(actual instanceof Number, what);
            case "has_value", "contains" -> assertTrue(actual instanceof List<?> list ? list.contains(expected)
                    : String.valueOf(actual).contains(expected), what);
            case "is_less_than" -> assertTrue(((Number) actual).longValue() < Long.parseLong(expected), what);
            default -> assertFalse(true, "unknown comparison in the script: " + comparison);
        }
    }

    private static String substitute(String text, Map<String, String> variables) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = variables.get(matcher.group(1));
            assertNotNull(value, "the script uses {{" + matcher.group(1) + "}}");
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(out).toString();
    }
}
