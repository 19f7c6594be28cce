package dev.keyway.common.event;

import java.util.UUID;

/** A group's own attributes. Membership travels on the users ({@link UserState#groupIds()}), so a change costs O(change). */
public record GroupState(UUID id, String displayName, String externalId) implements EventPayload {
}
