package dev.keyway.scim.settings;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.keyway.runtime.auth.OrganizationAccess;
import dev.keyway.runtime.organization.KnownOrganizations;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** An organization's SCIM settings: whether its IdP may manage groups and memberships here. */
@Path("/admin/orgs/{slug}/scim/settings")
@Tag(name = "SCIM settings")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(OrganizationAccess.ADMINISTER)
public class ScimSettingsResource {

    /** The settings; group management is on unless switched off. */
    public record ScimSettings(@NotNull(message = "required, true or false") Boolean groupsEnabled) {
    }

    private static final String READ = "select groups_enabled from scim_settings where org_id = $1";
    private static final String WRITE = """
            insert into scim_settings (org_id, groups_enabled) values ($1, $2)
            on conflict (org_id) do update set groups_enabled = excluded.groups_enabled, updated_at = now()""";

    private final Pool pool;
    private final KnownOrganizations organizations;

    public ScimSettingsResource(Pool pool, KnownOrganizations organizations) {
        this.pool = pool;
        this.organizations = organizations;
    }

    @GET
    @Operation(summary = "The organization's SCIM settings")
    public Uni<ScimSettings> get(@PathParam("slug") String slug) {
        return organizations.homedHere(slug).chain(org -> pool.preparedQuery(READ).execute(Tuple.of(org.id))
                .map(rows -> new ScimSettings(rows.size() == 0 || rows.iterator().next().getBoolean(0))));
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Switch group management on or off: {\"groupsEnabled\": false}")
    public Uni<ScimSettings> update(@PathParam("slug") String slug,
            @NotNull(message = "A JSON body with groupsEnabled is required") @Valid ScimSettings settings) {
        return organizations.homedHere(slug).chain(org -> pool.preparedQuery(WRITE)
                .execute(Tuple.of(org.id, settings.groupsEnabled())).replaceWith(settings));
    }
}
