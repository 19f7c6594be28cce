package dev.keyway.common.event;

import java.util.UUID;

/**
 * A Keyway group an import integration puts users in: the user store creates it (empty) if no group of that name
 * exists, so it is there as soon as the integration is, even for a JumpCloud group with no members yet.
 */
public record ImportedGroup(UUID integrationId, String displayName) implements EventPayload {
}
