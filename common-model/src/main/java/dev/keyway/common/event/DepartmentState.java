package dev.keyway.common.event;

import java.util.UUID;

/** A department; when disabled, users are no longer synced into it. */
public record DepartmentState(UUID id, String name, boolean enabled) implements EventPayload {
}
