package dev.keyway.runtime.outbox;

import dev.keyway.common.event.DepartmentState;
import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.GroupDeleted;
import dev.keyway.common.event.GroupState;
import dev.keyway.common.event.ImportedGroup;
import dev.keyway.common.event.ImportedUser;
import dev.keyway.common.event.ImportedUserLeft;
import dev.keyway.common.event.OrganizationState;
import dev.keyway.common.event.UserDeleted;
import dev.keyway.common.event.UserState;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Events are read and written by {@link EventCodec}'s own Jackson mapper, by reflection that a native image cannot
 * discover: every record that crosses Kafka is registered here. A new payload type is added to this list.
 */
@RegisterForReflection(targets = { EventEnvelope.class, OrganizationState.class, UserState.class, UserDeleted.class,
        GroupState.class, GroupDeleted.class, DepartmentState.class, ImportedUser.class, ImportedUserLeft.class,
        ImportedGroup.class, OrgId.class, OrgSlug.class, Region.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
