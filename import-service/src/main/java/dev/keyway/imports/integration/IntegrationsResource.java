package dev.keyway.imports.integration;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.keyway.common.organization.KnownOrganizations;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

@Path("/admin/orgs/{slug}/imports")
@Tag(name = "Directory import")
@Produces(MediaType.APPLICATION_JSON)
public class IntegrationsResource {

    /** An integration as the admin API shows it: the API key only as its last four characters. */
    public record IntegrationView(UUID id, String name, String dataCenter, String jumpcloudOrgId, String apiKeyHint,
            int intervalSeconds, boolean enabled, Instant createdAt, Instant nextRunAt) {
        static IntegrationView of(Integration integration) {
            return new IntegrationView(integration.id, integration.name, integration.dataCenter,
                    integration.jumpcloudOrgId, "…" + integration.apiKeyHint, integration.intervalSeconds,
                    integration.enabled, integration.createdAt, integration.nextRunAt);
        }
    }

    private final KnownOrganizations organizations;

    public IntegrationsResource(KnownOrganizations organizations) {
        this.organizations = organizations;
    }

    @GET
    @Operation(summary = "The organization's JumpCloud import integrations")
    public Uni<List<IntegrationView>> list(@PathParam("slug") String slug) {
        return organizations.homedHere(slug).chain(org -> Panache.withSession(() -> Integration
                .<Integration>list("orgId = ?1 order by createdAt", org.id)))
                .map(integrations -> integrations.stream().map(IntegrationView::of).toList());
    }
}
