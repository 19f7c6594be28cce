package dev.keyway.common.event;

import java.util.UUID;

/**
 * The user is no longer in any group the integration imports (removed, or deleted in JumpCloud): deactivate them.
 *
 * @param reason {@code removed-from-groups} or {@code deleted}
 */
public record ImportedUserLeft(UUID integrationId, String sourceUserId, String email, String reason)
        implements EventPayload {
}
