package dev.keyway.common.event;

import java.util.List;
import java.util.UUID;

/**
 * A user as an import integration last saw them in the customer's JumpCloud directory.
 *
 * @param sourceUserId    JumpCloud's {@code _id}
 * @param managerSourceId JumpCloud's {@code _id} of the manager, if any
 * @param active          {@code state == ACTIVATED} and not suspended
 * @param groups          the Keyway groups (by display name) the integration puts this user in
 */
public record ImportedUser(
        UUID integrationId,
        String sourceUserId,
        String userName,
        String email,
        String givenName,
        String familyName,
        String title,
        String department,
        String employeeNumber,
        String managerSourceId,
        boolean active,
        List<String> groups) implements EventPayload {

    public ImportedUser {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
