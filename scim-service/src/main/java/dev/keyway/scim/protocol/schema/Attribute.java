package dev.keyway.scim.protocol.schema;

import java.util.Arrays;

import java.util.List;
import java.util.Optional;

/**
 * One attribute of a SCIM schema (RFC 7643 §7), as this server implements it. The same definition drives input
 * canonicalization, filter translation, projection and the {@code /Schemas} document.
 */
public record Attribute(
        String name,
        Type type,
        boolean multiValued,
        boolean required,
        boolean caseExact,
        Mutability mutability,
        Returned returned,
        Uniqueness uniqueness,
        List<String> canonicalValues,
        List<String> referenceTypes,
        List<Attribute> subAttributes,
        String description) {

    public enum Type {

        STRING("string"),
        BOOLEAN("boolean"),
        DECIMAL("decimal"),
        INTEGER("integer"),
        DATE_TIME("dateTime"),
        REFERENCE("reference"),
        BINARY("binary"),
        COMPLEX("complex");

        public final String wire;

        Type(String wire) {
            this.wire = wire;
        }
    }

    public enum Mutability {

        READ_ONLY("readOnly"),
        READ_WRITE("readWrite"),
        IMMUTABLE("immutable"),
        WRITE_ONLY("writeOnly");

        public final String wire;

        Mutability(String wire) {
            this.wire = wire;
        }
    }

    public enum Returned {

        ALWAYS("always"),
        NEVER("never"),
        DEFAULT("default"),
        REQUEST("request");

        public final String wire;

        Returned(String wire) {
            this.wire = wire;
        }
    }

    public enum Uniqueness {

        NONE("none"),
        SERVER("server"),
        GLOBAL("global");

        public final String wire;

        Uniqueness(String wire) {
            this.wire = wire;
        }
    }

    public boolean isComplex() {
        return type == Type.COMPLEX;
    }

    public boolean isReadOnly() {
        return mutability == Mutability.READ_ONLY;
    }

    /** Sub-attribute by name, ignoring case as RFC 7643 §2.1 requires. */
    public Optional<Attribute> subAttribute(String name) {
        return subAttributes.stream().filter(sub -> sub.name.equalsIgnoreCase(name)).findFirst();
    }

    public static Builder string(String name) {
        return new Builder(name, Type.STRING);
    }

    public static Builder bool(String name) {
        return new Builder(name, Type.BOOLEAN);
    }

    public static Builder dateTime(String name) {
        return new Builder(name, Type.DATE_TIME);
    }

    public static Builder reference(String name, String... types) {
        Builder builder = new Builder(name, Type.REFERENCE);
        builder.referenceTypes = List.of(types);
        return builder;
    }

    public static Builder binary(String name) {
        return new Builder(name, Type.BINARY);
    }

    public static Builder complex(String name, Builder... subAttributes) {
        Builder builder = new Builder(name, Type.COMPLEX);
        builder.subAttributes = Arrays.stream(subAttributes).map(Builder::build).toList();
        return builder;
    }

    /** The usual shape of a multi-valued attribute: value, display, type, primary. */
    public static Builder multiValued(String name, Type valueType, String description, String... types) {
        Builder value = valueType == Type.REFERENCE ? reference("value", "external") : new Builder("value", valueType);
        return complex(name,
                value.describe("The value of the " + name + "."),
                string("display").describe("A human-readable name, primarily used for display purposes."),
                string("type").canonical(types).describe("A label indicating the attribute's function."),
                bool("primary").describe("Whether this value is the preferred one."))
                .multiValued().describe(description);
    }

    /** Fluent construction with RFC 7643's defaults (readWrite, returned default, not unique, case-insensitive). */
    public static final class Builder {

        private final String name;
        private final Type type;
        private boolean multiValued;
        private boolean required;
        private boolean caseExact;
        private Mutability mutability = Mutability.READ_WRITE;
        private Returned returned = Returned.DEFAULT;
        private Uniqueness uniqueness = Uniqueness.NONE;
        private List<String> canonicalValues = List.of();
        private List<String> referenceTypes = List.of();
        private List<Attribute> subAttributes = List.of();
        private String description = "";

        private Builder(String name, Type type) {
            this.name = name;
            this.type = type;
        }

        public Builder multiValued() {
            multiValued = true;
            return this;
        }

        public Builder required() {
            required = true;
            return this;
        }

        public Builder caseExact() {
            caseExact = true;
            return this;
        }

        public Builder readOnly() {
            mutability = Mutability.READ_ONLY;
            return this;
        }

        public Builder immutable() {
            mutability = Mutability.IMMUTABLE;
            return this;
        }

        public Builder writeOnly() {
            mutability = Mutability.WRITE_ONLY;
            return this;
        }

        public Builder returned(Returned value) {
            returned = value;
            return this;
        }

        public Builder unique() {
            uniqueness = Uniqueness.SERVER;
            return this;
        }

        public Builder canonical(String... values) {
            canonicalValues = List.of(values);
            return this;
        }

        public Builder describe(String text) {
            description = text;
            return this;
        }

        public Attribute build() {
            return new Attribute(name, type, multiValued, required, caseExact, mutability, returned, uniqueness,
                    canonicalValues, referenceTypes, subAttributes, description);
        }
    }
}
