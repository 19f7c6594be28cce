package dev.keyway.scim.protocol;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where the SCIM layer gets new JSON tree nodes. Building a tree needs no mapper; reading and writing one goes through
 * the application's managed {@code ObjectMapper}.
 */
public final class ScimJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ScimJson() {
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }
}
