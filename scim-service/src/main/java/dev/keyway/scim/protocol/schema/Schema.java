package dev.keyway.scim.protocol.schema;

import java.util.List;
import java.util.Optional;

/** A SCIM schema (RFC 7643 §7): its URN and its top-level attributes. */
public record Schema(String id, String name, String description, List<Attribute> attributes) {

    public Optional<Attribute> attribute(String name) {
        return attributes.stream().filter(attribute -> attribute.name().equalsIgnoreCase(name)).findFirst();
    }
}
