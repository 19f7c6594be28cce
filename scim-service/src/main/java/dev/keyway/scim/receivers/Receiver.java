package dev.keyway.scim.receivers;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An app that receives the directory's events: pushed to its URL (RFC 8935) or polled with its token (RFC 8936). */
public record Receiver(UUID id, String name, String mode, String url, String audience, String authType,
        String sealedSecret, List<UUID> organizations, List<String> eventTypes, Instant pausedAt, String pauseReason,
        String lastError, Instant lastErrorAt, Instant lastDeliveredAt, Instant createdAt, long backlog,
        Instant oldestPendingAt) {

    public static final String PUSH = "push";
    public static final String POLL = "poll";

    /** The context a receiver's secret is sealed to, so it opens on this receiver's row only. */
    static String secretContext(UUID id) {
        return "event-receiver:" + id;
    }
}
