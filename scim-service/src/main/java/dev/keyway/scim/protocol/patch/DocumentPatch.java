package dev.keyway.scim.protocol.patch;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import com.unboundid.scim2.common.messages.PatchOperation;

import dev.keyway.scim.protocol.Canonicalizer;
import dev.keyway.scim.protocol.ScimException;
import dev.keyway.scim.protocol.ScimJson;
import dev.keyway.scim.protocol.schema.Attribute;
import dev.keyway.scim.protocol.schema.ResourceType;
import dev.keyway.scim.protocol.schema.Schema;
import dev.keyway.scim.protocol.schema.ScimSchemas;

/**
 * Applies PATCH operations to a canonical document with the SCIM 2 SDK, after putting each path and value into
 * canonical form: names spelled as the schema spells them, core-URN prefixes dropped, a path naming a whole
 * extension treated as a path-less value, values typed by the schema. Where a value filter matches nothing, an
 * {@code add} or {@code replace} of {@code emails[type eq "work"].value} adds that element, as Entra expects.
 * Paths to attributes this server does not know are ignored, like unknown attributes in a body.
 */
public final class DocumentPatch {

    private DocumentPatch() {
    }

    public static ObjectNode apply(ResourceType type, ObjectNode document, List<PatchOp> operations) {
        ObjectNode patched = document.deepCopy();
        for (PatchOp operation : operations) {
            try {
                apply(type, patched, operation);
            } catch (com.unboundid.scim2.common.exceptions.ScimException e) {
                throw translate(e);
            }
        }
        return patched;
    }

    /**
     * What can be checked without the resource: each path resolves and each value has its attribute's type. Called
     * before the resource is looked up, so a malformed PATCH is a 400 whether or not the id exists.
     */
    public static void validate(ResourceType type, List<PatchOp> operations) {
        for (PatchOp operation : operations) {
            if (!operation.hasPath()) {
                if (operation.op() == PatchOp.Kind.REMOVE) {
                    throw ScimException.noTarget("'remove' needs a path.");
                }
                if (!operation.value().isObject()) {
                    throw ScimException.invalidValue("Without a path, the value must be an object of attributes.");
                }
                Canonicalizer.partial(type, operation.value());
                continue;
            }
            Optional<Schema> extension = type.extension(operation.path().trim());
            if (extension.isPresent()) {
                if (operation.op() != PatchOp.Kind.REMOVE) {
                    Canonicalizer.partial(type, ScimJson.object().set(extension.get().id(), operation.value()));
                }
                continue;
            }
            Target target = Target.resolve(type, operation.path());
            if (target != null && operation.op() != PatchOp.Kind.REMOVE) {
                target.canonical(operation.value());
            }
        }
    }

    private static void apply(ResourceType type, ObjectNode document, PatchOp operation)
            throws com.unboundid.scim2.common.exceptions.ScimException {
        if (!operation.hasPath()) {
            if (operation.op() == PatchOp.Kind.REMOVE) {
                throw ScimException.noTarget("'remove' needs a path.");
            }
            pathless(type, document, operation.op(), operation.value());
            return;
        }
        Optional<Schema> extension = type.extension(operation.path().trim());
        if (extension.isPresent()) {
            if (operation.op() == PatchOp.Kind.REMOVE) {
                document.remove(extension.get().id());
            } else {
                pathless(type, document, operation.op(),
                        ScimJson.object().set(extension.get().id(), operation.value()));
            }
            return;
        }
        Target target = Target.resolve(type, operation.path());
        if (target == null) {
            return;
        }
        if (operation.op() == PatchOp.Kind.REMOVE) {
            PatchOperation.remove(target.path()).apply(document);
            return;
        }
        JsonNode value = target.canonical(operation.value());
        if (value == null) {
            PatchOperation.remove(target.path()).apply(document);
            return;
        }
        try {
            (operation.op() == PatchOp.Kind.ADD ? PatchOperation.add(target.path(), value)
                    : PatchOperation.replace(target.path(), value)).apply(document);
        } catch (com.unboundid.scim2.common.exceptions.ScimException e) {
            if (!"noTarget".equals(e.getScimError().getScimType()) || !target.addElement(document, value)) {
                throw e;
            }
        }
    }

    private static void pathless(ResourceType type, ObjectNode document, PatchOp.Kind kind, JsonNode value)
            throws com.unboundid.scim2.common.exceptions.ScimException {
        if (!value.isObject()) {
            throw ScimException.invalidValue("Without a path, the value must be an object of attributes.");
        }
        ObjectNode canonical = Canonicalizer.partial(type, value);
        // null or empty values in a path-less replace mean "clear that attribute"
        value.properties().forEach(field -> {
            if (field.getValue().isNull() || field.getValue().isArray() && field.getValue().isEmpty()) {
                type.core().attribute(field.getKey()).ifPresent(attribute -> document.remove(attribute.name()));
            }
        });
        if (canonical.isEmpty()) {
            return;
        }
        (kind == PatchOp.Kind.ADD ? PatchOperation.add(canonical) : PatchOperation.replace(canonical))
                .apply(document);
    }

    private static ScimException translate(com.unboundid.scim2.common.exceptions.ScimException e) {
        int status = e.getScimError() != null ? e.getScimError().getStatus() : 400;
        String scimType = e.getScimError() != null ? e.getScimError().getScimType() : null;
        return new ScimException(Response.Status.fromStatusCode(status), scimType, e.getMessage());
    }

    /** A PATCH path resolved against the schema, in canonical spelling. */
    private record Target(Path path, Attribute attribute, Attribute sub, Filter filter) {

        static Target resolve(ResourceType type, String text) {
            Path parsed;
            try {
                parsed = Path.fromString(text.trim());
            } catch (BadRequestException e) {
                throw ScimException.invalidPath("'" + text + "' is not an attribute path.");
            }
            if (parsed.size() == 0 || parsed.size() > 2
                    || parsed.size() == 2 && parsed.getElement(1).getValueFilter() != null) {
                throw ScimException.invalidPath("'" + text + "' is not an attribute path this server supports.");
            }
            String urn = parsed.getSchemaUrn();
            if (urn != null && urn.equalsIgnoreCase(type.core().id())) {
                urn = null;
            }
            Path.Element first = parsed.getElement(0);
            String subName = parsed.size() == 2 ? parsed.getElement(1).getAttribute() : null;
            if (urn == null && subName == null && first.getAttribute().equalsIgnoreCase("externalId")) {
                return new Target(Path.root().attribute("externalId"), ScimSchemas.EXTERNAL_ID, null, null);
            }
            Optional<ResourceType.Resolved> found = type.resolve(urn, first.getAttribute(), subName);
            if (found.isEmpty()) {
                return null;
            }
            ResourceType.Resolved resolved = found.get();
            if (resolved.attribute().isReadOnly() || resolved.sub() != null && resolved.sub().isReadOnly()) {
                throw ScimException.mutability("'" + text + "' is read-only.");
            }
            Path canonical = (resolved.inExtension(type) ? Path.root(resolved.schema().id()) : Path.root())
                    .attribute(resolved.attribute().name(), first.getValueFilter());
            if (resolved.sub() != null) {
                canonical = canonical.attribute(resolved.sub().name());
            }
            return new Target(canonical, resolved.attribute(), resolved.sub(), first.getValueFilter());
        }

        JsonNode canonical(JsonNode value) {
            String where = path.toString();
            if (sub != null) {
                return Canonicalizer.value(sub, value, where);
            }
            return filter != null ? Canonicalizer.element(attribute, value, where)
                    : Canonicalizer.value(attribute, value, where);
        }

        /**
         * For {@code emails[type eq "work"].value} with no work e-mail yet: adds {@code {"type":"work","value":…}}.
         * Only filters made of {@code eq} comparisons joined by {@code and} describe such an element.
         */
        boolean addElement(ObjectNode document, JsonNode value) {
            ObjectNode element = ScimJson.object();
            if (filter == null || !describe(filter, element)) {
                return false;
            }
            if (sub != null) {
                element.set(sub.name(), value);
            } else if (value.isObject()) {
                element.setAll((ObjectNode) value);
            } else {
                return false;
            }
            ObjectNode container = document;
            String urn = path.getSchemaUrn();
            if (urn != null) {
                container = document.has(urn) && document.get(urn).isObject() ? (ObjectNode) document.get(urn)
                        : document.putObject(urn);
            }
            JsonNode existing = container.get(attribute.name());
            ArrayNode values = existing instanceof ArrayNode array ? array : container.putArray(attribute.name());
            values.add(element);
            return true;
        }

        private boolean describe(Filter filter, ObjectNode element) {
            if (filter.getFilterType() == FilterType.AND) {
                return filter.getCombinedFilters().stream().allMatch(part -> describe(part, element));
            }
            if (filter.getFilterType() != FilterType.EQUAL || filter.getAttributePath().size() != 1) {
                return false;
            }
            Optional<Attribute> field = attribute.subAttribute(filter.getAttributePath().getElement(0).getAttribute());
            field.ifPresent(f -> element.set(f.name(), filter.getComparisonValue()));
            return field.isPresent();
        }
    }
}
