package dev.keyway.scim.users;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.scim.protocol.ETags;
import dev.keyway.scim.protocol.ScimJson;
import dev.keyway.scim.protocol.schema.ScimSchemas;

/** A stored user as a SCIM User resource (RFC 7643 §4.1, §3.1). */
final class UserRendering {

    private UserRendering() {
    }

    static ObjectNode render(User user, List<User.GroupRef> groups, String baseUrl) {
        ObjectNode resource = ScimJson.object();
        ArrayNode schemas = resource.putArray("schemas").add(ScimSchemas.USER_URN);
        if (user.attributes().has(ScimSchemas.ENTERPRISE_USER_URN)) {
            schemas.add(ScimSchemas.ENTERPRISE_USER_URN);
        }
        resource.put("id", user.id().toString());
        resource.setAll(user.attributes());
        resource.put("active", user.active());
        if (!groups.isEmpty()) {
            ArrayNode memberships = resource.putArray("groups");
            for (User.GroupRef group : groups) {
                memberships.addObject()
                        .put("value", group.id().toString())
                        .put("$ref", baseUrl + "/Groups/" + group.id())
                        .put("display", group.displayName())
                        .put("type", "direct");
            }
        }
        resource.putObject("meta")
                .put("resourceType", "User")
                .put("created", user.created().toString())
                .put("lastModified", user.lastModified().toString())
                .put("location", baseUrl + "/Users/" + user.id())
                .put("version", ETags.of(user.version()));
        return resource;
    }
}
