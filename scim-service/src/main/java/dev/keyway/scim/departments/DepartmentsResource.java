package dev.keyway.scim.departments;

import java.util.List;
import java.util.UUID;

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

@Path("/admin/orgs/{slug}/departments")
@Tag(name = "Departments")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(OrganizationAccess.ADMINISTER)
public class DepartmentsResource {

    /** The change an owner may make: enable or disable. */
    public record DepartmentUpdate(@NotNull(message = "required, true or false") Boolean enabled) {
    }

    private final Departments departments;
    private final KnownOrganizations organizations;

    public DepartmentsResource(Departments departments, KnownOrganizations organizations) {
        this.departments = departments;
        this.organizations = organizations;
    }

    @GET
    @Operation(summary = "The organization's departments, with member counts")
    public Uni<List<Departments.Department>> list(@PathParam("slug") String slug) {
        return organizations.homedHere(slug).chain(org -> departments.list(org.orgId()));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Enable or disable a department; a disabled one receives no user sync")
    public Uni<Departments.Department> update(@PathParam("slug") String slug, @PathParam("id") UUID id,
            @NotNull(message = "A JSON body with enabled is required") @Valid DepartmentUpdate update) {
        return organizations.homedHere(slug)
                .chain(org -> departments.setEnabled(org.orgId(), org.homeRegion(), id, update.enabled()));
    }
}
