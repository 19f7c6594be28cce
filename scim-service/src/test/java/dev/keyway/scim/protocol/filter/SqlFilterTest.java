package dev.keyway.scim.protocol.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.keyway.scim.protocol.ScimException;
import dev.keyway.scim.protocol.schema.ScimSchemas;

/**
 * The filter grammar over RFC 7644 §3.4.2.2's own examples and malformed input, and what the SQL looks like: values
 * are bound, never spliced. What the SQL selects is tested against PostgreSQL in {@code FilterQueriesTest}.
 */
class SqlFilterTest {

    static final SqlMapping USERS = new SqlMapping(ScimSchemas.USERS, "u",
            Map.of("userName", "u.user_name", "externalId", "u.external_id", "active", "u.active",
                    "meta.lastModified", "u.updated_at"),
            Map.of(), Map.of("emails.value", "u.emails_lower @> array[%s]::text[]"));

    private static String sql(String filter, List<Object> parameters) {
        return SqlFilter.translate(USERS, Filters.parse(filter), parameters);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "userName eq \"bjensen\"",
            "name.familyName co \"O'Malley\"",
            "userName sw \"J\"",
            "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"",
            "title pr",
            "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
            "meta.lastModified ge \"2011-05-13T04:42:34Z\"",
            "meta.lastModified lt \"2011-05-13T04:42:34Z\"",
            "meta.lastModified le \"2011-05-13T04:42:34Z\"",
            "title pr and userType eq \"Employee\"",
            "title pr or userType eq \"Intern\"",
            "schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"",
            "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")",
            "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")",
            "userType eq \"Employee\" and (emails.type eq \"work\")",
            "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
            "emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"R&D\"",
            "USERNAME Eq \"x\" AND Active EQ true",
            "externalId eq \"00u1\"" })
    void everyRfcExampleTranslatesWithItsValuesBound(String filter) {
        List<Object> parameters = new ArrayList<>();
        String sql = sql(filter, parameters);

        Matcher quoted = Pattern.compile("\"([^\"]+)\"").matcher(filter);
        while (quoted.find()) {
            String value = quoted.group(1);
            if (value.startsWith("urn:")) {
                continue; // a schema URN selects a schema, it is not compared as a value
            }
            assertFalse(value.length() > 2 && sql.contains(value), "value '" + value + "' spliced into: " + sql);
            assertTrue(parameters.stream().map(bound -> String.valueOf(bound).toLowerCase(Locale.ROOT))
                    .anyMatch(bound -> bound.contains(value.toLowerCase(Locale.ROOT))),
                    "'" + value + "' not bound: " + parameters);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "userName eq \"BJensen\"                   | lower(u.user_name) = $1       | bjensen",
            "externalId eq \"AbC\"                     | u.external_id = $1            | AbC",
            "userName sw \"50%_off\\\\\"               | like $1 escape                | 50\\%\\_off\\\\%",
            "emails.value eq \"Ada@X.test\"            | u.emails_lower @> array[$1]   | ada@x.test",
            "name.givenName ew \"ce\"                  | u.attributes -> 'name' ->> 'givenName' | %ce" })
    void caseRulesComeFromTheSchemaAndLikePatternsAreEscaped(String filter, String sqlFragment, String parameter) {
        List<Object> parameters = new ArrayList<>();
        String sql = sql(filter, parameters);

        assertTrue(sql.contains(sqlFragment), sql);
        assertEquals(parameter, String.valueOf(parameters.get(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "userName eq",
            "userName xx \"a\"",
            "(userName eq \"a\"",
            "userName eq \"a\")",
            "emails[type eq \"work\"",
            "userName eq \"unterminated",
            "userName eq 'single quotes'",
            "userName eq \"a\" or",
            "not userName eq \"a\"",
            "favoriteColor eq \"red\"",
            "name.nickname eq \"x\"",
            "active eq \"maybe\"",
            "active co \"tr\"",
            "meta.lastModified gt \"yesterday\"",
            "meta.lastModified co \"2011\"",
            "userName gt 5",
            "userName eq true",
            "name eq \"Ada\"",
            "userName[value eq \"x\"]",
            "emails[type eq \"work\"].value eq \"x\"",
            "meta.version eq \"W/\\\"1\\\"\"",
            "members.value eq \"x\"" })
    void malformedOrUnknownFiltersAreInvalidFilterErrors(String filter) {
        ScimException error = assertThrows(ScimException.class, () -> sql(filter, new ArrayList<>()), filter);

        assertEquals(400, error.status().getStatusCode());
        assertEquals("invalidFilter", error.scimType());
        assertFalse(error.getMessage().contains("Source: REDACTED"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = { Filters.MAX_LENGTH + 1 })
    void overlongFiltersAreRefused(int length) {
        String filter = "userName eq \"" + "x".repeat(length) + "\"";
        assertEquals("invalidFilter", assertThrows(ScimException.class, () -> Filters.parse(filter)).scimType());
    }
}
