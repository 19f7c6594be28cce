package dev.keyway.scim.groups;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A group of the store: its canonical document (displayName, externalId) and metadata; members live apart. */
public record Group(UUID id, String displayName, String externalId, ObjectNode attributes, long version,
        Instant created, Instant lastModified) {

    /** A member as the group's {@code members} attribute shows it. */
    public record Member(UUID id, String display) {
    }
}
