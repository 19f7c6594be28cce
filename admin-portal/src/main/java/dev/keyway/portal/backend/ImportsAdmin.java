package dev.keyway.portal.backend;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** import-service's admin API, as the portal uses it ({@code quarkus.rest-client.imports.url}). */
@RegisterRestClient(configKey = "imports")
@Path("/admin/orgs/{slug}/imports")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface ImportsAdmin {

    @POST
    @Path("validate")
    Uni<JsonNode> validate(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            JsonNode credentials);

    @POST
    @Path("jumpcloud-groups")
    Uni<JsonNode> jumpcloudGroups(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            JsonNode credentials);

    @GET
    Uni<JsonNode> integrations(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug);

    @POST
    Uni<JsonNode> create(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            JsonNode integration);

    @PATCH
    @Path("{id}")
    Uni<JsonNode> update(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            @PathParam("id") String id, JsonNode change);

    @POST
    @Path("{id}/runs")
    Uni<JsonNode> runNow(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            @PathParam("id") String id);

    @GET
    @Path("{id}/runs")
    Uni<JsonNode> runs(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            @PathParam("id") String id);
}
