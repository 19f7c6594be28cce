package dev.keyway.imports.jumpcloud;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;

/**
 * The part of JumpCloud's published Directory API the import reads (v1 system users, v2 user groups and their
 * effective membership, v1 organizations), at a data center's console URL. A null {@code x-org-id} is not sent.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public interface JumpCloudApi {

    String API_KEY = "x-api-key";
    String ORG_ID = "x-org-id";

    @GET
    @Path("/v2/usergroups")
    List<UserGroup> userGroups(@HeaderParam(API_KEY) String apiKey, @HeaderParam(ORG_ID) String orgId,
            @QueryParam("limit") int limit, @QueryParam("skip") int skip, @QueryParam("sort") String sort);

    @GET
    @Path("/v2/usergroups/{groupId}/membership")
    List<GraphObject> membership(@HeaderParam(API_KEY) String apiKey, @HeaderParam(ORG_ID) String orgId,
            @PathParam("groupId") String groupId, @QueryParam("limit") int limit, @QueryParam("skip") int skip,
            @QueryParam("sort") String sort);

    /**
     * A page of users, without blocking: the import pages several at once. {@code fields} (space-separated) names the
     * fields each record carries, {@code _id} always among them; without it JumpCloud sends its default list.
     */
    @GET
    @Path("/systemusers")
    Uni<SystemUsersPage> systemUsersAsync(@HeaderParam(API_KEY) String apiKey, @HeaderParam(ORG_ID) String orgId,
            @QueryParam("limit") int limit, @QueryParam("skip") int skip, @QueryParam("sort") String sort,
            @QueryParam("fields") String fields);

    /** {@link #membership}, without blocking. */
    @GET
    @Path("/v2/usergroups/{groupId}/membership")
    Uni<List<GraphObject>> membershipAsync(@HeaderParam(API_KEY) String apiKey, @HeaderParam(ORG_ID) String orgId,
            @PathParam("groupId") String groupId, @QueryParam("limit") int limit, @QueryParam("skip") int skip,
            @QueryParam("sort") String sort);

    /** With a Multi-Tenant Portal admin's key and no {@code x-org-id}: the organizations that admin manages. */
    @GET
    @Path("/organizations")
    OrganizationsPage organizations(@HeaderParam(API_KEY) String apiKey, @QueryParam("limit") int limit);
}
