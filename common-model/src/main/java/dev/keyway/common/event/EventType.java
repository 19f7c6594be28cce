package dev.keyway.common.event;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event Keyway publishes: its wire name, schema version, topic and payload record. */
public enum EventType {

    ORGANIZATION_UPSERTED("organization.upserted", Topics.ORGS, OrganizationState.class),

    USER_UPSERTED("user.upserted", Topics.DIRECTORY, UserState.class),
    USER_DELETED("user.deleted", Topics.DIRECTORY, UserDeleted.class),
    GROUP_UPSERTED("group.upserted", Topics.DIRECTORY, GroupState.class),
    GROUP_DELETED("group.deleted", Topics.DIRECTORY, GroupDeleted.class),
    DEPARTMENT_UPSERTED("department.upserted", Topics.DIRECTORY, DepartmentState.class),

    IMPORT_USER_IMPORTED("import.user.imported", Topics.IMPORTS, ImportedUser.class),
    IMPORT_USER_CHANGED("import.user.changed", Topics.IMPORTS, ImportedUser.class),
    IMPORT_USER_LEFT("import.user.left", Topics.IMPORTS, ImportedUserLeft.class),
    IMPORT_GROUP_SELECTED("import.group.selected", Topics.IMPORTS, ImportedGroup.class);

    /** Schema version of every payload in this enum; a breaking change gets a new topic version instead. */
    public static final int VERSION = 1;

    private static final Map<String, EventType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final String wireName;
    private final String topic;
    private final Class<? extends EventPayload> payloadType;

    EventType(String wireName, String topic, Class<? extends EventPayload> payloadType) {
        this.wireName = wireName;
        this.topic = topic;
        this.payloadType = payloadType;
    }

    public String wireName() {
        return wireName;
    }

    public String topic() {
        return topic;
    }

    public Class<? extends EventPayload> payloadType() {
        return payloadType;
    }

    /** Empty for a type this build does not know (a newer producer): consumers skip it. */
    public static Optional<EventType> fromWireName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
