package dev.keyway.common.event;

import java.util.List;
import java.util.UUID;

/**
 * A user of the user store, whole: a consumer can rebuild its view from the latest one alone.
 *
 * @param email      the primary (else first) e-mail, lower-cased; the login key for SAML
 * @param department the department name, or null when there is none or it is disabled for sync
 * @param groupIds   every group the user is a member of
 */
public record UserState(
        UUID id,
        String userName,
        String externalId,
        String givenName,
        String familyName,
        String displayName,
        String email,
        boolean active,
        String title,
        String department,
        String employeeNumber,
        List<UUID> groupIds) implements EventPayload {

    public UserState {
        groupIds = groupIds == null ? List.of() : List.copyOf(groupIds);
    }
}
