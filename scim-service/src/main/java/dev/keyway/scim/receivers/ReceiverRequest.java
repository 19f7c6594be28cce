package dev.keyway.scim.receivers;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Registers a receiver. {@code url} and {@code auth} are for push only; {@code organizations} and {@code eventTypes}
 * narrow what it gets (absent: everything; an empty list is refused, so "none yet" never reads as "all").
 */
public record ReceiverRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = "[a-z0-9][a-z0-9-]*",
                message = "lower-case letters, digits and dashes") String name,
        @NotNull @Pattern(regexp = "push|poll", message = "must be 'push' or 'poll'") String mode,
        @Size(max = 2000) String url,
        @Size(max = 500) String audience,
        @Valid Auth auth,
        @Size(min = 1, max = 1000,
                message = "name at least one organization, or leave the field out for all") List<@NotNull UUID> organizations,
        @Size(max = 20) List<@NotNull @Pattern(
                regexp = "urn:ietf:params:scim:event:prov:(create:full|put:full|patch:full|delete|activate|deactivate)",
                message = "must be an event type Keyway emits") String> eventTypes) {

    /**
     * How Keyway authenticates to a push endpoint: {@code bearer} sends {@code Authorization: Bearer <secret>},
     * {@code hmac} sends {@code X-Keyway-Signature: sha256=<hex HMAC-SHA256 of the body>}; the secret is sealed at rest.
     */
    public record Auth(
            @NotNull @Pattern(regexp = "none|bearer|hmac", message = "must be 'none', 'bearer' or 'hmac'") String type,
            @Size(min = 16, max = 500, message = "must be 16 to 500 characters") String secret) {
    }
}
