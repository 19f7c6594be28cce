package dev.keyway.scim.protocol.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.scim.protocol.Canonicalizer;
import dev.keyway.scim.protocol.ScimException;
import dev.keyway.scim.protocol.schema.ScimSchemas;

class DocumentPatchTest {

    /** Test input only; the service reads JSON with its managed mapper. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ObjectNode ada() {
        return Canonicalizer.canonicalize(ScimSchemas.USERS, json("""
                {"userName":"ada@x.test","name":{"givenName":"Ada","familyName":"Lovelace"},"active":true,
                 "emails":[{"value":"ada@x.test","type":"work","primary":true}]}"""));
    }

    private static ObjectNode patch(ObjectNode document, String operations) {
        return Canonicalizer.canonicalize(ScimSchemas.USERS, DocumentPatch.apply(ScimSchemas.USERS, document,
                PatchOp.parse(json("{\"schemas\":[\"" + PatchOp.SCHEMA + "\"],\"Operations\":" + operations + "}"))));
    }

    @Test
    void opsAndAttributeNamesAreReadWithoutRegardToCaseAndStringBooleansAreBooleans() {
        ObjectNode patched = patch(ada(),
                """
                [{"op":"Replace","path":"NAME.GIVENNAME","value":"Augusta"},{"op":"REPLACE","path":"Active","value":"False"}]""");

        assertEquals("Augusta", patched.path("name").path("givenName").asText());
        assertEquals(false, patched.get("active").booleanValue());
        assertEquals(List.of("name", "userName", "active", "emails").stream().sorted().toList(),
                iterator(patched));
    }

    @Test
    void aValueFilterPathReplacesTheMatchingElementOrAddsOneWhenNoneMatches() {
        ObjectNode patched = patch(ada(), """
                [{"op":"replace","path":"emails[type eq \\"work\\"].value","value":"countess@x.test"},
                 {"op":"add","path":"phoneNumbers[type eq \\"mobile\\"].value","value":"+44 20 7946 0000"}]""");

        assertEquals(json("[{\"value\":\"countess@x.test\",\"type\":\"work\",\"primary\":true}]"),
                patched.get("emails"));
        assertEquals(json("[{\"type\":\"mobile\",\"value\":\"+44 20 7946 0000\"}]"), patched.get("phoneNumbers"));
    }

    @Test
    void urnPathsReachTheEnterpriseExtensionAndTheCoreUrnIsOptional() {
        ObjectNode patched = patch(ada(), """
                [{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"R&D"},
                 {"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"m-1"},
                 {"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:title","value":"Countess"}]""");

        JsonNode enterprise = patched.get(ScimSchemas.ENTERPRISE_USER_URN);
        assertEquals("R&D", enterprise.path("department").asText());
        assertEquals("m-1", enterprise.path("manager").path("value").asText());
        assertEquals("Countess", patched.path("title").asText());
    }

    @Test
    void aPathNamingTheWholeExtensionSetsOrRemovesIt() {
        ObjectNode patched = patch(ada(), """
                [{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                  "value":{"division":"Engines","costCenter":"42"}}]""");
        assertEquals("Engines", patched.path(ScimSchemas.ENTERPRISE_USER_URN).path("division").asText());

        ObjectNode removed = patch(patched, """
                [{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}]""");
        assertEquals(false, removed.has(ScimSchemas.ENTERPRISE_USER_URN));
    }

    @Test
    void aPathlessReplaceMergesAttributesAndRemovalByFilterDropsOneElement() {
        ObjectNode two = patch(ada(), """
                [{"op":"add","path":"emails","value":[{"value":"home@x.test","type":"home"}]}]""");
        ObjectNode patched = patch(two, """
                [{"op":"replace","value":{"name":{"familyName":"King"},"displayName":"Ada King"}},
                 {"op":"remove","path":"emails[type eq \\"home\\"]"}]""");

        assertEquals("Ada", patched.path("name").path("givenName").asText());
        assertEquals("King", patched.path("name").path("familyName").asText());
        assertEquals("Ada King", patched.path("displayName").asText());
        assertEquals(1, patched.path("emails").size());
    }

    @Test
    void unknownAttributesAreIgnoredButReadOnlyOnesAndBadValuesAreRefused() {
        assertEquals(ada(), patch(ada(), "[{\"op\":\"replace\",\"path\":\"favoriteColor\",\"value\":\"red\"}]"));

        assertEquals("mutability", assertThrows(ScimException.class,
                () -> patch(ada(), "[{\"op\":\"replace\",\"path\":\"groups\",\"value\":[]}]")).scimType());
        assertEquals("invalidValue", assertThrows(ScimException.class,
                () -> patch(ada(), "[{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}]")).scimType());
        assertEquals("invalidValue", assertThrows(ScimException.class,
                () -> patch(ada(), "[{\"op\":\"remove\",\"path\":\"userName\"}]")).scimType());
        assertEquals("invalidSyntax", assertThrows(ScimException.class,
                () -> patch(ada(), "[{\"op\":\"merge\",\"path\":\"title\",\"value\":\"x\"}]")).scimType());
        assertEquals("noTarget", assertThrows(ScimException.class,
                () -> patch(ada(), "[{\"op\":\"remove\"}]")).scimType());
        assertEquals("invalidPath", assertThrows(ScimException.class,
                () -> patch(ada(), "[{\"op\":\"replace\",\"path\":\"emails[type eq\",\"value\":\"x\"}]")).scimType());
    }

    private static List<String> iterator(ObjectNode node) {
        return node.properties().stream().map(Map.Entry::getKey).sorted().toList();
    }
}
