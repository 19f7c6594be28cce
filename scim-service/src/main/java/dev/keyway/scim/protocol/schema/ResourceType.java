package dev.keyway.scim.protocol.schema;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A resource type (RFC 7643 §6) with its core schema and extensions, and the one place attribute paths are
 * resolved against them.
 */
public record ResourceType(String name, String endpoint, String description, Schema core, List<Schema> extensions) {

    /** An attribute path resolved to its definitions; {@code sub} is null for a path to the attribute itself. */
    public record Resolved(Schema schema, Attribute attribute, Attribute sub) {

        public boolean inExtension(ResourceType type) {
            return !schema.id().equals(type.core().id());
        }

        /** The definition the path ends at. */
        public Attribute target() {
            return sub != null ? sub : attribute;
        }
    }

    public List<Schema> schemas() {
        return Stream.concat(Stream.of(core), extensions.stream()).toList();
    }

    public Optional<Schema> schema(String urn) {
        return schemas().stream().filter(schema -> schema.id().equalsIgnoreCase(urn)).findFirst();
    }

    public Optional<Schema> extension(String urn) {
        return extensions.stream().filter(schema -> schema.id().equalsIgnoreCase(urn)).findFirst();
    }

    /**
     * Resolves {@code [urn:]attribute[.sub]}. Without a URN the core schema is searched first, then the extensions,
     * because clients routinely leave the enterprise URN off ({@code department}).
     */
    public Optional<Resolved> resolve(String urn, String attribute, String sub) {
        List<Schema> candidates = urn == null || urn.isEmpty() ? schemas() : schema(urn).stream().toList();
        for (Schema schema : candidates) {
            Optional<Attribute> found = schema.attribute(attribute);
            if (found.isPresent()) {
                if (sub == null) {
                    return Optional.of(new Resolved(schema, found.get(), null));
                }
                return found.get().subAttribute(sub).map(s -> new Resolved(schema, found.get(), s));
            }
        }
        return Optional.empty();
    }
}
