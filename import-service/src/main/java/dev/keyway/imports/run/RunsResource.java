package dev.keyway.imports.run;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.keyway.imports.config.ImportsConfig;
import dev.keyway.imports.integration.Integrations;
import dev.keyway.runtime.auth.OrganizationAccess;
import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.runtime.problem.ApiException;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** An integration's runs: start one now, see how they went. */
@Path("/admin/orgs/{slug}/imports/{id}/runs")
@Tag(name = "Directory import")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(OrganizationAccess.ADMINISTER)
public class RunsResource {

    private final KnownOrganizations organizations;
    private final Integrations integrations;
    private final ImportRunner runner;
    private final RunRepository runs;
    private final ImportsConfig config;

    public RunsResource(KnownOrganizations organizations, Integrations integrations, ImportRunner runner,
            RunRepository runs, ImportsConfig config) {
        this.organizations = organizations;
        this.integrations = integrations;
        this.runner = runner;
        this.runs = runs;
        this.config = config;
    }

    @POST
    @Operation(summary = "Run the import now (202 with the run; 409 if it is running already)")
    public Uni<Response> runNow(@PathParam("slug") String slug, @PathParam("id") UUID id) {
        return organizations.homedHere(slug).chain(org -> integrations.get(org.id(), id))
                .chain(integration -> runner.start(integration, "manual"))
                .map(run -> Response.accepted(run)
                        .location(URI.create("/admin/orgs/" + slug + "/imports/" + id + "/runs/" + run.id())).build());
    }

    @GET
    @Operation(summary = "The integration's recent runs, newest first")
    public Uni<List<ImportRun>> list(@PathParam("slug") String slug, @PathParam("id") UUID id) {
        return organizations.homedHere(slug).chain(org -> integrations.get(org.id(), id))
                .chain(integration -> runs.recent(integration.id(), config.runsListed()));
    }

    @GET
    @Path("{runId}")
    @Operation(summary = "One run: status, counts, errors, next scheduled run")
    public Uni<ImportRun> get(@PathParam("slug") String slug, @PathParam("id") UUID id,
            @PathParam("runId") UUID runId) {
        return organizations.homedHere(slug).chain(org -> integrations.get(org.id(), id))
                .chain(integration -> runs.find(integration.id(), runId))
                .onItem().ifNull().failWith(() -> ApiException.notFound("No run " + runId + "."));
    }
}
