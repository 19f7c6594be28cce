package dev.keyway.imports.integration;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.keyway.imports.jumpcloud.DataCenter;
import dev.keyway.imports.jumpcloud.JumpCloudCredentials;
import dev.keyway.imports.jumpcloud.UserGroup;
import dev.keyway.runtime.auth.OrganizationAccess;
import dev.keyway.runtime.organization.KnownOrganizations;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/**
 * What a customer's IT admin does to import their JumpCloud directory: prove the credentials, pick groups, create
 * the integration. Failures of JumpCloud's own are problem+json with a {@code reason} naming the cause.
 */
@Path("/admin/orgs/{slug}/imports")
@Tag(name = "Directory import")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermissionsAllowed(OrganizationAccess.ADMINISTER)
public class IntegrationsResource {

    /** Credentials as typed by an admin, before an integration exists. */
    public record CredentialsRequest(
            @NotBlank(message = "required") String apiKey,
            String jumpcloudOrgId,
            @NotNull(message = "required (\"us\" or \"eu\")") @Pattern(regexp = DataCenter.CODES,
                    message = "must be \"us\" or \"eu\"") String dataCenter) {

        JumpCloudCredentials credentials() {
            return new JumpCloudCredentials(DataCenter.fromCode(dataCenter), apiKey.trim(), jumpcloudOrgId);
        }
    }

    public record Validation(boolean valid, String apiKeyHint) {
    }

    /** An integration as the admin API shows it: the API key only as its last four characters. */
    public record IntegrationView(UUID id, String name, String dataCenter, String jumpcloudOrgId, String apiKeyHint,
            List<GroupMapping> groups, Duration interval, boolean enabled, Instant createdAt, Instant updatedAt,
            Instant nextRunAt) {

        static IntegrationView of(Integration integration) {
            return new IntegrationView(integration.id(), integration.name(), integration.dataCenter().code(),
                    integration.jumpcloudOrgId(), integration.apiKeyHint(),
                    integration.groups(), integration.interval(), integration.enabled(), integration.createdAt(),
                    integration.updatedAt(), integration.nextRunAt());
        }
    }

    private static final String CREDENTIALS_REQUIRED = "A JSON body with apiKey and dataCenter is required";
    private static final String BODY_REQUIRED = "A JSON body is required";

    private final KnownOrganizations organizations;
    private final Integrations integrations;

    public IntegrationsResource(KnownOrganizations organizations, Integrations integrations) {
        this.organizations = organizations;
        this.integrations = integrations;
    }

    @POST
    @Path("validate")
    @Operation(summary = "Check a JumpCloud API key (and Organization ID) before creating an integration")
    public Uni<Validation> validate(@PathParam("slug") String slug,
            @NotNull(message = CREDENTIALS_REQUIRED) @Valid CredentialsRequest request) {
        JumpCloudCredentials credentials = request.credentials();
        return organizations.homedHere(slug).chain(org -> integrations.validate(credentials))
                .replaceWith(new Validation(true, credentials.apiKeyHint()));
    }

    @POST
    @Path("jumpcloud-groups")
    @Operation(summary = "Every JumpCloud user group these credentials can see, to choose what to import")
    public Uni<List<UserGroup>> jumpcloudGroups(@PathParam("slug") String slug,
            @NotNull(message = CREDENTIALS_REQUIRED) @Valid CredentialsRequest request) {
        JumpCloudCredentials credentials = request.credentials();
        return organizations.homedHere(slug).chain(org -> integrations.jumpcloudGroups(credentials));
    }

    @GET
    @Operation(summary = "The organization's JumpCloud import integrations")
    public Uni<List<IntegrationView>> list(@PathParam("slug") String slug) {
        return organizations.homedHere(slug).chain(org -> integrations.list(org.id()))
                .map(found -> found.stream().map(IntegrationView::of).toList());
    }

    @POST
    @Operation(summary = "Create an integration: name, credentials, groups to import and their Keyway groups, schedule")
    public Uni<Response> create(@PathParam("slug") String slug,
            @NotNull(message = BODY_REQUIRED) @Valid IntegrationRequest request) {
        return organizations.homedHere(slug).chain(org -> integrations.create(org.id(), request))
                .map(created -> Response.created(URI.create("/admin/orgs/" + slug + "/imports/" + created.id()))
                        .entity(IntegrationView.of(created)).build());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One integration")
    public Uni<IntegrationView> get(@PathParam("slug") String slug, @PathParam("id") UUID id) {
        return organizations.homedHere(slug).chain(org -> integrations.get(org.id(), id)).map(IntegrationView::of);
    }

    @PATCH
    @Path("{id}")
    @Operation(summary = "Change an integration; absent fields stay as they are")
    public Uni<IntegrationView> update(@PathParam("slug") String slug, @PathParam("id") UUID id,
            @NotNull(message = BODY_REQUIRED) @Valid IntegrationRequest request) {
        return organizations.homedHere(slug).chain(org -> integrations.update(org.id(), id, request))
                .map(IntegrationView::of);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete an integration; the users it imported stay in the user store as they are")
    public Uni<Response> delete(@PathParam("slug") String slug, @PathParam("id") UUID id) {
        return organizations.homedHere(slug).chain(org -> integrations.delete(org.id(), id))
                .replaceWith(Response.noContent().build());
    }

    @GET
    @Path("{id}/jumpcloud-groups")
    @Operation(summary = "The JumpCloud user groups the integration's stored credentials can see")
    public Uni<List<UserGroup>> storedJumpcloudGroups(@PathParam("slug") String slug, @PathParam("id") UUID id) {
        return organizations.homedHere(slug).chain(org -> integrations.jumpcloudGroups(org.id(), id));
    }
}
