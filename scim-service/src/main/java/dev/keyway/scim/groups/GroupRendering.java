package dev.keyway.scim.groups;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.scim.protocol.ETags;
import dev.keyway.scim.protocol.ScimJson;
import dev.keyway.scim.protocol.schema.ScimSchemas;

/** A stored group as a SCIM Group resource (RFC 7643 §4.2). */
final class GroupRendering {

    private GroupRendering() {
    }

    /** @param members null when they were not loaded (not asked for) */
    static ObjectNode render(Group group, List<Group.Member> members, String baseUrl) {
        ObjectNode resource = ScimJson.object();
        resource.putArray("schemas").add(ScimSchemas.GROUP_URN);
        resource.put("id", group.id().toString());
        resource.setAll(group.attributes());
        if (members != null) {
            ArrayNode list = resource.putArray("members");
            for (Group.Member member : members) {
                list.addObject()
                        .put("value", member.id().toString())
                        .put("$ref", baseUrl + "/Users/" + member.id())
                        .put("display", member.display())
                        .put("type", "User");
            }
        }
        resource.putObject("meta")
                .put("resourceType", "Group")
                .put("created", group.created().toString())
                .put("lastModified", group.lastModified().toString())
                .put("location", baseUrl + "/Groups/" + group.id())
                .put("version", ETags.of(group.version()));
        return resource;
    }
}
