package dev.keyway.scim.receivers;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * An RFC 8936 poll: acknowledge what was processed ({@code ack}), or refused ({@code setErrs}, also an
 * acknowledgement), and ask for at most {@code maxEvents} more. Keyway always answers at once (no long polling).
 */
public record PollRequest(
        @Size(max = 10000) List<@NotNull @Size(max = 100) String> ack,
        @Size(max = 10000) Map<@NotNull @Size(max = 100) String, @Valid @NotNull SetError> setErrs,
        @PositiveOrZero Integer maxEvents,
        Boolean returnImmediately) {

    /** Why the receiver could not process a SET (RFC 8935 §2.4 error codes, e.g. {@code invalid_request}). */
    public record SetError(@NotNull @Size(max = 100) String err, @Size(max = 1000) String description) {
    }
}
