package dev.keyway.scim.users;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.runtime.auth.Roles;
import dev.keyway.runtime.deployment.Deployment;
import dev.keyway.scim.protocol.ETags;
import dev.keyway.scim.protocol.ListQuery;
import dev.keyway.scim.protocol.ListResponse;
import dev.keyway.scim.protocol.Projection;
import dev.keyway.scim.protocol.ScimBodies;
import dev.keyway.scim.protocol.ScimMediaType;
import dev.keyway.scim.protocol.schema.ScimSchemas;
import dev.keyway.scim.token.ScimCaller;
import io.smallrye.mutiny.Uni;

/** RFC 7644 §3 for Users. Bodies are accepted whatever their Content-Type; answers are application/scim+json. */
@Path("/scim/v2/Users")
@Tag(name = "SCIM Users")
@Produces({ ScimMediaType.SCIM_JSON, MediaType.APPLICATION_JSON })
@Consumes(MediaType.WILDCARD)
@RolesAllowed(Roles.SCIM_CLIENT)
public class UsersResource {

    private final UserService users;
    private final ScimCaller caller;
    private final String baseUrl;

    public UsersResource(UserService users, ScimCaller caller, Deployment deployment) {
        this.users = users;
        this.caller = caller;
        this.baseUrl = deployment.ownUrl() + "/scim/v2";
    }

    @GET
    @Operation(summary = "List or filter users")
    public Uni<ListResponse> list(@RestQuery String filter, @RestQuery String startIndex, @RestQuery String count,
            @RestQuery String sortBy, @RestQuery String sortOrder, @RestQuery String attributes,
            @RestQuery String excludedAttributes, @RestQuery String cursor, @Context UriInfo uri) {
        // "?cursor" or "?cursor=" asks for the first page of a cursor listing (RFC 9865)
        if (cursor == null && uri.getQueryParameters().containsKey("cursor")) {
            cursor = "";
        }
        return list(ListQuery.of(ScimSchemas.USERS, filter, startIndex, count, sortBy, sortOrder, attributes,
                excludedAttributes, cursor));
    }

    @POST
    @Path(".search")
    @Operation(summary = "Search users with a SearchRequest body")
    public Uni<ListResponse> search(byte[] body) {
        return list(ListQuery.ofSearch(ScimSchemas.USERS, ScimBodies.parse(body)));
    }

    @POST
    @Operation(summary = "Create a user")
    public Uni<Response> create(byte[] body) {
        return users.create(caller.tenant(), ScimBodies.parse(body)).map(view -> Response
                .created(URI.create(baseUrl + "/Users/" + view.user().id()))
                .tag(tag(view)).entity(render(view, Projection.all())).build());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A user")
    public Uni<Response> get(@PathParam("id") String id, @RestQuery String attributes,
            @RestQuery String excludedAttributes, @RestHeader("If-None-Match") String ifNoneMatch) {
        Projection projection = Projection.of(ScimSchemas.USERS, attributes, excludedAttributes);
        return users.get(caller.tenant(), id).map(view -> ifNoneMatch != null
                && ETags.matches(ifNoneMatch, view.user().version())
                        ? Response.notModified().tag(tag(view)).build()
                        : Response.ok(render(view, projection)).tag(tag(view)).build());
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace a user")
    public Uni<Response> replace(@PathParam("id") String id, byte[] body, @RestHeader("If-Match") String ifMatch) {
        return users.replace(caller.tenant(), id, ScimBodies.parse(body), ifMatch).map(this::ok);
    }

    @PATCH
    @Path("{id}")
    @Operation(summary = "Modify a user (add, replace, remove)")
    public Uni<Response> patch(@PathParam("id") String id, byte[] body, @RestHeader("If-Match") String ifMatch) {
        return users.patch(caller.tenant(), id, ScimBodies.parse(body), ifMatch).map(this::ok);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a user")
    public Uni<Response> delete(@PathParam("id") String id, @RestHeader("If-Match") String ifMatch) {
        return users.delete(caller.tenant(), id, ifMatch).replaceWith(Response.noContent().build());
    }

    private Uni<ListResponse> list(ListQuery query) {
        return users.list(caller.tenant(), query).map(page -> ListResponse.of(query, page.total(), page.next(),
                page.users().stream().map(view -> render(view, query.projection())).toList()));
    }

    private Response ok(UserService.UserView view) {
        return Response.ok(render(view, Projection.all())).tag(tag(view)).build();
    }

    private ObjectNode render(UserService.UserView view, Projection projection) {
        return projection.apply(ScimSchemas.USERS, UserRendering.render(view.user(), view.groups(), baseUrl));
    }

    private static EntityTag tag(UserService.UserView view) {
        return new EntityTag(Long.toString(view.user().version()), true);
    }
}
