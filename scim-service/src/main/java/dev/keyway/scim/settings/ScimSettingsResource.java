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
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** An organization's SCIM settings: whether its IdP may manage groups and memberships here. */
@Path("/admin/orgs/{slug}/scim/settings")
@Tag(name = "SCIM settings")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(OrganizationAccess.ADMINISTER)
public class ScimSettingsResource {

    /** The settings; group management is on unless switched off. */
    public record ScimSettings(@NotNull(message = "required, true or false") Boolean groupsEnabled) {
    }

    private final ScimSettingsService service;

    public ScimSettingsResource(ScimSettingsService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "The organization's SCIM settings")
    public Uni<ScimSettings> get(@PathParam("slug") String slug) {
        return service.groupsEnabled(slug).map(ScimSettings::new);
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Switch group management on or off: {\"groupsEnabled\": false}")
    public Uni<ScimSettings> update(@PathParam("slug") String slug,
            @NotNull(message = "A JSON body with groupsEnabled is required") @Valid ScimSettings settings) {
        return service.setGroupsEnabled(slug, settings.groupsEnabled()).replaceWith(settings);
    }
}
