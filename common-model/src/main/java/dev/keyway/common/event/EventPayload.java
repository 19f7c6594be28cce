package dev.keyway.common.event;

/** The body of an event. Records only; fields are added, never renamed or removed, within a topic version. */
public sealed interface EventPayload
        permits OrganizationState, UserState, UserDeleted, GroupState, GroupDeleted, DepartmentState,
        ImportedUser, ImportedUserLeft, ImportedGroup {
}
