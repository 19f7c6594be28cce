package dev.keyway.sso.organization;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.keyway.common.event.OrganizationState;
import dev.keyway.runtime.auth.OrganizationAccess;
import dev.keyway.runtime.auth.Roles;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

@Path("/admin/orgs")
@Tag(name = "Organizations")
@Produces(MediaType.APPLICATION_JSON)
public class OrganizationsResource {

    /** What the operator sends to register an organization. */
    public record NewOrganization(
            @ValidSlug String slug,
            @NotBlank(message = "required, at most " + OrganizationService.MAX_DISPLAY_NAME + " characters") @Size(
                    max = OrganizationService.MAX_DISPLAY_NAME,
                    message = "required, at most " + OrganizationService.MAX_DISPLAY_NAME
                            + " characters") String displayName,
            @NotNull(message = "must be 'api' or 'eu'") @Pattern(regexp = "api|eu",
                    message = "must be 'api' or 'eu'") String region) {
    }

    /** An organization as the admin API shows it. */
    public record OrganizationView(UUID id, String slug, String displayName, String region, Instant createdAt) {

        static OrganizationView of(OrganizationState org) {
            return new OrganizationView(org.id().value(), org.slug().value(), org.displayName(), org.region().code(),
                    org.createdAt());
        }
    }

    private final OrganizationService organizations;
    private final OwnerTokens ownerTokens;

    public OrganizationsResource(OrganizationService organizations, OwnerTokens ownerTokens) {
        this.organizations = organizations;
        this.ownerTokens = ownerTokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Register an organization homed in this region (operator token)")
    public Uni<Response> create(@NotNull(
            message = "A JSON body with slug, displayName and region is required") @Valid NewOrganization body) {
        return organizations.create(body.slug(), body.displayName(), body.region())
                .map(org -> Response.created(URI.create("/admin/orgs/" + org.slug().value()))
                        .entity(OrganizationView.of(org)).build());
    }

    @GET
    @Path("{slug}")
    @PermissionsAllowed(OrganizationAccess.ADMINISTER)
    @Operation(summary = "An organization (operator, or an owner of it)")
    public Uni<OrganizationView> get(@PathParam("slug") String slug) {
        return organizations.bySlug(slug).map(OrganizationView::of);
    }

    @POST
    @Path("{slug}/owner-tokens")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Issue an owner token for the organization's admin APIs on every service (operator token)")
    public Uni<OwnerTokens.OwnerToken> issueOwnerToken(@PathParam("slug") String slug) {
        return organizations.bySlug(slug).chain(ownerTokens::issue);
    }

    /** When the organization's owner tokens issued earlier stopped working. */
    public record RevokedAll(Instant ownerTokensNotBefore) {
    }

    @DELETE
    @Path("{slug}/owner-tokens/{jti}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Revoke one owner token, by the id it was issued with (operator token); every service "
            + "refuses it once the organization's state reaches it")
    public Uni<Response> revokeOwnerToken(@PathParam("slug") String slug, @PathParam("jti") String jti) {
        return ownerTokens.revoke(slug, jti).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("{slug}/owner-tokens/revoke-all")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Revoke every owner token of the organization issued until now (operator token)")
    public Uni<RevokedAll> revokeAllOwnerTokens(@PathParam("slug") String slug) {
        return ownerTokens.revokeAll(slug).map(RevokedAll::new);
    }
}
