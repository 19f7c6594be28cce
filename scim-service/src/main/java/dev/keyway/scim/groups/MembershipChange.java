package dev.keyway.scim.groups;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;

import dev.keyway.scim.protocol.ScimException;
import dev.keyway.scim.protocol.ScimJson;
import dev.keyway.scim.protocol.patch.PatchOp;
import dev.keyway.scim.protocol.schema.ScimSchemas;

/**
 * A group PATCH split in two: operations on the group's own attributes (handled like any document), and changes to
 * its members, in order, as clients send them:
 * <ul>
 * <li>RFC 7644: {@code add} to {@code members}, {@code remove} of {@code members[value eq "id"]}, {@code replace}
 * of {@code members}, {@code remove} of {@code members} (all of them);</li>
 * <li>JumpCloud and Entra: {@code add} / {@code remove} of {@code members} with a value array of minimal
 * {@code {"value": id}} objects — the remove takes out those members only;</li>
 * <li>path-less {@code add} / {@code replace} with {@code {"members": [...]}}.</li>
 * </ul>
 * Ids that are not UUIDs are ignored, as are ids of users who do not exist (the repository skips them).
 */
record MembershipChange(List<PatchOp> attributeOperations, List<Action> actions) {

    enum Kind {
        ADD,
        REMOVE,
        REPLACE,
        REMOVE_ALL
    }

    /** One step on the member list. */
    record Action(Kind kind, Set<UUID> userIds) {
    }

    static MembershipChange of(List<PatchOp> operations) {
        List<PatchOp> attributes = new ArrayList<>();
        List<Action> actions = new ArrayList<>();
        for (PatchOp operation : operations) {
            if (!operation.hasPath()) {
                split(operation, attributes, actions);
                continue;
            }
            Path path;
            try {
                path = Path.fromString(operation.path().trim());
            } catch (BadRequestException e) {
                throw ScimException.invalidPath("'" + operation.path() + "' is not an attribute path.");
            }
            boolean members = path.size() >= 1 && path.getElement(0).getAttribute().equalsIgnoreCase("members")
                    && (path.getSchemaUrn() == null || path.getSchemaUrn().equalsIgnoreCase(
                            ScimSchemas.GROUP_URN));
            if (!members) {
                attributes.add(operation);
            } else {
                actions.add(action(operation, path));
            }
        }
        return new MembershipChange(attributes, actions);
    }

    private static Action action(PatchOp operation, Path path) {
        Filter filter = path.getElement(0).getValueFilter();
        if (path.size() > 1) {
            throw ScimException.invalidPath("Members are changed as a whole: use the path 'members'.");
        }
        if (filter != null) {
            if (operation.op() != PatchOp.Kind.REMOVE) {
                throw ScimException.invalidPath("A filtered members path can only be removed.");
            }
            Set<UUID> ids = new LinkedHashSet<>();
            collectValues(filter, ids);
            return new Action(Kind.REMOVE, ids);
        }
        return switch (operation.op()) {
            case ADD -> new Action(Kind.ADD, ids(operation.value()));
            case REPLACE -> new Action(Kind.REPLACE, ids(operation.value()));
            case REMOVE -> operation.value() == null || operation.value().isNull()
                    || operation.value().isArray() && operation.value().isEmpty()
                            ? new Action(Kind.REMOVE_ALL, Set.of())
                            : new Action(Kind.REMOVE, ids(operation.value()));
        };
    }

    private static void split(PatchOp operation, List<PatchOp> attributes, List<Action> actions) {
        if (operation.value() == null || !operation.value().isObject()) {
            attributes.add(operation);
            return;
        }
        ObjectNode rest = ScimJson.object();
        for (var field : operation.value().properties()) {
            if (field.getKey().equalsIgnoreCase("members")) {
                actions.add(new Action(operation.op() == PatchOp.Kind.REPLACE ? Kind.REPLACE : Kind.ADD,
                        ids(field.getValue())));
            } else {
                rest.set(field.getKey(), field.getValue());
            }
        }
        if (!rest.isEmpty()) {
            attributes.add(new PatchOp(operation.op(), null, rest));
        }
    }

    /** {@code value eq "id"} comparisons, possibly joined by {@code or}, name the members to remove. */
    private static void collectValues(Filter filter, Set<UUID> ids) {
        if (filter.getFilterType() == FilterType.OR) {
            filter.getCombinedFilters().forEach(part -> collectValues(part, ids));
            return;
        }
        if (filter.getFilterType() != FilterType.EQUAL || filter.getAttributePath().size() != 1
                || !filter.getAttributePath().getElement(0).getAttribute().equalsIgnoreCase("value")) {
            throw ScimException.invalidFilter("Members can be selected by 'value eq \"<id>\"' (joined by 'or').");
        }
        parse(filter.getComparisonValue().asText()).ifPresent(ids::add);
    }

    /** The ids in a members value: an array (or one) of {@code {"value": id}} objects, or of bare ids. */
    static Set<UUID> ids(JsonNode value) {
        Set<UUID> ids = new LinkedHashSet<>();
        if (value == null || value.isNull()) {
            return ids;
        }
        for (JsonNode member : value.isArray() ? value : ScimJson.array().add(value)) {
            JsonNode id = member.isObject() ? member.get("value") : member;
            if (id != null && id.isTextual()) {
                parse(id.asText()).ifPresent(ids::add);
            }
        }
        return ids;
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
