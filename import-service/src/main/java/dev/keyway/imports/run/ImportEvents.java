package dev.keyway.imports.run;

import java.util.Objects;
import java.util.UUID;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventPayload;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.ImportedUser;
import dev.keyway.common.event.ImportedUserLeft;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import dev.keyway.imports.run.PulledDirectory.Change;
import dev.keyway.imports.run.PulledDirectory.Deleted;
import dev.keyway.imports.run.PulledDirectory.Listed;
import dev.keyway.runtime.outbox.Outbox.Draft;
import dev.keyway.runtime.outbox.Outbox.Prepared;

/**
 * One run's events: what a user read from JumpCloud is, compared with the last successful run's snapshot. Equal states
 * are equal users: both are the same encoder's JSON of the same record. One imported user's events stay in order: they
 * share the Kafka key and the sequence.
 */
record ImportEvents(UUID integrationId, OrgId org, Region region) {

    /**
     * A listed user and their event, if they differ from the snapshot: {@code imported} is null outside the selected
     * groups (or when JumpCloud's record cannot be imported), {@code before} null for a user new to the snapshot.
     */
    Listed compare(String sourceUserId, ImportedUser imported, String before) {
        String state = imported == null ? null : EventCodec.encodePayload(imported);
        if (Objects.equals(state, before)) {
            return new Listed(sourceUserId, state, null, null);
        }
        if (state == null) {
            return new Listed(sourceUserId, null, Change.REMOVED, prepare(EventType.IMPORT_USER_LEFT, sourceUserId,
                    left(sourceUserId, before, DiffCounts.REMOVED_FROM_GROUPS)));
        }
        if (before == null) {
            return new Listed(sourceUserId, state, Change.IMPORTED,
                    prepare(EventType.IMPORT_USER_IMPORTED, sourceUserId, imported));
        }
        boolean deactivated = !imported.active() && EventCodec.decodePayload(before, ImportedUser.class).active();
        return new Listed(sourceUserId, state, deactivated ? Change.DEACTIVATED : Change.CHANGED,
                prepare(EventType.IMPORT_USER_CHANGED, sourceUserId, imported));
    }

    /** The event of a user deleted from JumpCloud. */
    Draft deleted(Deleted user) {
        return new Draft(EventType.IMPORT_USER_LEFT, aggregate(user.sourceUserId()),
                left(user.sourceUserId(), user.before(), DiffCounts.DELETED));
    }

    private ImportedUserLeft left(String sourceUserId, String before, String reason) {
        return new ImportedUserLeft(integrationId, sourceUserId,
                EventCodec.decodePayload(before, ImportedUser.class).email(), reason);
    }

    private Prepared prepare(EventType type, String sourceUserId, EventPayload payload) {
        return Prepared.of(org, region, new Draft(type, aggregate(sourceUserId), payload));
    }

    private String aggregate(String sourceUserId) {
        return "import:" + integrationId + ":" + sourceUserId;
    }
}
