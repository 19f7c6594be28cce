package dev.keyway.portal.backend;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** scim-service's admin API, as the portal uses it ({@code quarkus.rest-client.scim.url}). */
@RegisterRestClient(configKey = "scim")
@Path("/admin/orgs/{slug}")
@Produces(MediaType.APPLICATION_JSON)
public interface ScimAdmin {

    @GET
    @Path("scim/tokens")
    Uni<JsonNode> tokens(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug);

    @POST
    @Path("scim/tokens")
    Uni<JsonNode> issueToken(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug);

    @DELETE
    @Path("scim/tokens/{id}")
    Uni<Void> revokeToken(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            @PathParam("id") String id);

    @GET
    @Path("scim/settings")
    Uni<JsonNode> settings(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug);

    @PATCH
    @Path("scim/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<JsonNode> updateSettings(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            JsonNode settings);

    /** The SCIM request log; null parameters are left out of the query. */
    @GET
    @Path("scim/requests")
    Uni<JsonNode> requests(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            @QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("user") String user,
            @QueryParam("outcome") String outcome, @QueryParam("limit") int limit);

    @GET
    @Path("departments")
    Uni<JsonNode> departments(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug);

    @PATCH
    @Path("departments/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<JsonNode> updateDepartment(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            @PathParam("id") String id, JsonNode update);
}
