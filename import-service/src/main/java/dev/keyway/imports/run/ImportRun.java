package dev.keyway.imports.run;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One pull of an integration, as the admin API shows it.
 *
 * @param trigger           {@code schedule} or {@code manual}
 * @param status            {@code running}, {@code succeeded} or {@code failed}
 * @param usersSeen         users in the selected JumpCloud groups
 * @param usersDeactivated  users that left the groups, were deleted, or became suspended
 * @param groups            JumpCloud groups read
 * @param errors            why the run failed, or users it had to skip
 * @param nextRunAt         when the integration runs next on its schedule
 */
public record ImportRun(UUID id, UUID integrationId, String trigger, String status, Instant startedAt,
        Instant finishedAt, int usersSeen, int usersCreated, int usersUpdated, int usersDeactivated, int groups,
        List<String> errors, Instant nextRunAt) {

    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
}
