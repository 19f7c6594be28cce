package dev.keyway.common.event;

import java.util.UUID;

public record GroupDeleted(UUID id) implements EventPayload {
}
