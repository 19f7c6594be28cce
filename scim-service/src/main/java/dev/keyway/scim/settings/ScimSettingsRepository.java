package dev.keyway.scim.settings;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The scim_settings table. Queries only. */
@ApplicationScoped
public class ScimSettingsRepository {

    private static final String READ = "select groups_enabled from scim_settings where org_id = $1";
    private static final String WRITE = """
            insert into scim_settings (org_id, groups_enabled) values ($1, $2)
            on conflict (org_id) do update set groups_enabled = excluded.groups_enabled, updated_at = now()""";

    private final Pool pool;

    public ScimSettingsRepository(Pool pool) {
        this.pool = pool;
    }

    /** The stored group-management switch, or null when the organization never set it. */
    public Uni<Boolean> groupsEnabled(UUID orgId) {
        return pool.preparedQuery(READ).execute(Tuple.of(orgId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBoolean(0));
    }

    public Uni<Void> saveGroupsEnabled(UUID orgId, boolean groupsEnabled) {
        return pool.preparedQuery(WRITE).execute(Tuple.of(orgId, groupsEnabled)).replaceWithVoid();
    }
}
