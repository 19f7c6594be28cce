package dev.keyway.common.event;

import java.util.UUID;

/** The user is gone from the user store; consumers forget them and end their sessions. */
public record UserDeleted(UUID id) implements EventPayload {
}
