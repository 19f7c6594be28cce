package dev.keyway.portal.link;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
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

import dev.keyway.runtime.auth.OrganizationAccess;
import dev.keyway.runtime.auth.Roles;
import dev.keyway.runtime.deployment.Deployment;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** The operator's side of setup links: the SaaS's back end asks for one per organization, and may revoke it. */
@Path("/admin")
@Tag(name = "Setup links")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class SetupLinksResource {

    /**
     * @param org       the organization's slug
     * @param scopes    any of sso, scim, imports, domains, logs; all when absent
     * @param expiresIn ISO-8601 duration, e.g. PT4H; keyway.portal.link-lifetime when absent
     */
    public record NewLink(@NotBlank(message = "required: the organization's slug") String org, List<String> scopes,
            Duration expiresIn) {
    }

    /** A link as the operator sees it; {@code url} only in the answer that created it. */
    public record LinkView(UUID id, String org, List<String> scopes, Instant createdAt, Instant expiresAt,
            Instant usedAt, Instant revokedAt, String url) {

        static LinkView of(SetupLink link, String url) {
            return new LinkView(link.id(), link.orgSlug(), link.scopes(), link.createdAt(), link.expiresAt(),
                    link.usedAt(), link.revokedAt(), url);
        }
    }

    private final SetupLinks links;
    private final Deployment deployment;

    public SetupLinksResource(SetupLinks links, Deployment deployment) {
        this.links = links;
        this.deployment = deployment;
    }

    @POST
    @Path("setup-links")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A setup link for one organization's IT admin (operator token); the URL is shown only here")
    public Uni<Response> create(@NotNull(message = "A JSON body with org is required") @Valid NewLink request) {
        return links.create(request.org().strip(), request.scopes(), request.expiresIn()).map(issued -> Response
                .created(URI.create("/admin/setup-links/" + issued.link().id()))
                .header("Cache-Control", "no-store")
                .entity(LinkView.of(issued.link(), deployment.ownUrl() + "/setup/" + issued.secret())).build());
    }

    @GET
    @Path("orgs/{slug}/setup-links")
    @PermissionsAllowed(OrganizationAccess.ADMINISTER)
    @Operation(summary = "An organization's setup links, newest first, without their secrets (operator, or the"
            + " organization's owner)")
    public Uni<List<LinkView>> list(@PathParam("slug") String slug) {
        return links.ofOrganization(slug).map(found -> found.stream().map(link -> LinkView.of(link, null)).toList());
    }

    @DELETE
    @Path("setup-links/{id}")
    @Operation(summary = "Revoke a setup link: it no longer opens, its sessions end and their owner tokens are revoked")
    public Uni<Response> revoke(@PathParam("id") UUID id) {
        return links.revoke(id).replaceWith(Response.noContent().build());
    }
}
