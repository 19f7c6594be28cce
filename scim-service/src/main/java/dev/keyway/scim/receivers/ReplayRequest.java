package dev.keyway.scim.receivers;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;

/** Delivers again every event of the log since this instant (the log keeps keyway.events.retention). */
public record ReplayRequest(@NotNull Instant from) {
}
