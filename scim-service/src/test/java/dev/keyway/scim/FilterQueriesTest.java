package dev.keyway.scim;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** RFC 7644 §3.4.2 against real rows: which users each filter selects, paging, sorting and projections. */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class FilterQueriesTest {

    /** One directory for every test here; built on first use, once the server is up. */
    private static ScimOrg org;

    @BeforeEach
    void directory() {
        if (org != null) {
            return;
        }
        org = ScimOrg.create("filters");
        create("""
                {"userName":"bjensen","externalId":"B-1","name":{"givenName":"Barbara","familyName":"Jensen"},
                 "title":"Tour Guide","userType":"Employee","active":true,
                 "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                           {"value":"babs@jensen.org","type":"home"}],
                 "ims":[{"value":"bjensen@foo.com","type":"xmpp"}]}""");
        create("""
                {"userName":"jsmith","name":{"givenName":"John","familyName":"O'Malley"},"userType":"Intern",
                 "active":false,"emails":[{"value":"jsmith@example.org","type":"work"}],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D","employeeNumber":"7"}}""");
        create("""
                {"userName":"Jane_Doe","name":{"givenName":"Jane","familyName":"Doe"},"title":"CTO",
                 "userType":"Employee","emails":[{"value":"jane@other.test","type":"home"}]}""");
        create("""
                {"userName":"50%off","name":{"givenName":"Percy","familyName":"Sale"},"userType":"Contractor"}""");
    }

    private static void create(String user) {
        org.scim().body(user).post("/Users").then().statusCode(201);
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("userName eq \"bjensen\"", List.of("bjensen")),
                Arguments.of("userName eq \"BJENSEN\"", List.of("bjensen")),
                Arguments.of("name.familyName co \"O'Malley\"", List.of("jsmith")),
                Arguments.of("userName sw \"J\"", List.of("jsmith", "Jane_Doe")),
                Arguments.of("urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"",
                        List.of("jsmith", "Jane_Doe")),
                Arguments.of("userName sw \"50%\"", List.of("50%off")),
                Arguments.of("userName co \"_\"", List.of("Jane_Doe")),
                Arguments.of("title pr", List.of("bjensen", "Jane_Doe")),
                Arguments.of("not (title pr)", List.of("jsmith", "50%off")),
                Arguments.of("meta.lastModified gt \"2011-05-13T04:42:34Z\"",
                        List.of("bjensen", "jsmith", "Jane_Doe", "50%off")),
                Arguments.of("meta.created lt \"2011-05-13T04:42:34Z\"", List.of()),
                Arguments.of("title pr and userType eq \"Employee\"", List.of("bjensen", "Jane_Doe")),
                Arguments.of("title pr or userType eq \"Intern\"", List.of("bjensen", "jsmith", "Jane_Doe")),
                Arguments.of("schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"",
                        List.of("jsmith")),
                Arguments.of(
                        "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")",
                        List.of("bjensen")),
                Arguments.of(
                        "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")",
                        List.of("50%off")),
                Arguments.of("userType eq \"Employee\" and (emails.type eq \"work\")", List.of("bjensen")),
                Arguments.of("userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
                        List.of("bjensen")),
                Arguments.of(
                        "emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]",
                        List.of("bjensen")),
                Arguments.of("emails.value eq \"BABS@jensen.org\"", List.of("bjensen")),
                Arguments.of("emails[value eq \"babs@jensen.org\" and type eq \"work\"]", List.of()),
                Arguments.of("emails pr", List.of("bjensen", "jsmith", "Jane_Doe")),
                Arguments.of("active eq false", List.of("jsmith")),
                Arguments.of("active ne false", List.of("bjensen", "Jane_Doe", "50%off")),
                Arguments.of("externalId eq \"B-1\"", List.of("bjensen")),
                Arguments.of("externalId eq \"b-1\"", List.of()),
                Arguments.of("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"r&d\"",
                        List.of("jsmith")),
                Arguments.of("department eq \"R&D\"", List.of("jsmith")),
                Arguments.of("name.givenName gt \"J\" and name.givenName lt \"K\"", List.of("jsmith", "Jane_Doe")),
                Arguments.of("userName eq \"nobody\"", List.of()));
    }

    @ParameterizedTest
    @MethodSource("filters")
    void eachFilterSelectsExactlyTheUsersItDescribes(String filter, List<String> userNames) {
        org.scim().queryParam("filter", filter).queryParam("count", 100).get("/Users").then()
                .statusCode(200)
                .body("totalResults", equalTo(userNames.size()))
                .body("Resources.userName", userNames.isEmpty() ? empty()
                        : containsInAnyOrder(userNames.toArray()));
    }

    @Test
    void pagesAreOneBasedStableAndReportTheTotal() {
        List<String> all = org.scim().queryParam("count", 100).get("/Users").then().extract()
                .path("Resources.userName");
        org.scim().queryParam("startIndex", 2).queryParam("count", 2).get("/Users").then()
                .body("totalResults", equalTo(4)).body("startIndex", equalTo(2)).body("itemsPerPage", equalTo(2))
                .body("Resources.userName", contains(all.get(1), all.get(2)));
        org.scim().queryParam("startIndex", 10).get("/Users").then()
                .body("totalResults", equalTo(4)).body("itemsPerPage", equalTo(0));
        org.scim().queryParam("count", 0).get("/Users").then().body("totalResults", equalTo(4))
                .body("itemsPerPage", equalTo(0));
        org.scim().queryParam("startIndex", -5).queryParam("count", 1).get("/Users").then().body("startIndex",
                equalTo(1));
    }

    @Test
    void sortingFollowsTheAttributeAndItsCaseRule() {
        org.scim().queryParam("sortBy", "userName").get("/Users").then()
                .body("Resources.userName", contains("50%off", "bjensen", "Jane_Doe", "jsmith"));
        org.scim().queryParam("sortBy", "name.familyName").queryParam("sortOrder", "descending").get("/Users").then()
                .body("Resources.userName", contains("50%off", "jsmith", "bjensen", "Jane_Doe"));
        org.scim().queryParam("sortBy", "emails").get("/Users").then().statusCode(200);
        org.scim().queryParam("sortBy", "favoriteColor").get("/Users").then().statusCode(400);
        org.scim().queryParam("sortOrder", "sideways").get("/Users").then().statusCode(400);
    }

    @Test
    void attributesAndExcludedAttributesShapeTheResources() {
        org.scim().queryParam("filter", "userName eq \"bjensen\"").queryParam("attributes", "userName,emails.value")
                .get("/Users").then()
                .body("Resources[0].keySet()", containsInAnyOrder("schemas", "id", "userName", "emails"))
                .body("Resources[0].emails", everyItem(not(hasKey("type"))));
        org.scim().queryParam("filter", "userName eq \"jsmith\"")
                .queryParam("excludedAttributes", "emails,name.givenName,"
                        + "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department")
                .get("/Users").then()
                .body("Resources[0]", not(hasKey("emails")))
                .body("Resources[0].name", not(hasKey("givenName")))
                .body("Resources[0].name.familyName", equalTo("O'Malley"))
                .body("Resources[0].'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'.employeeNumber",
                        equalTo("7"))
                .body("Resources[0].id", not(nullValue()));
    }

    @Test
    void searchByPostTakesTheSameParametersInItsBody() {
        org.scim().body("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                 "filter":"userType eq \\"Employee\\"","sortBy":"userName","attributes":["userName"],"count":1}""")
                .post("/Users/.search").then().statusCode(200)
                .body("totalResults", equalTo(2)).body("Resources.userName", contains("bjensen"));
    }
}
