package dev.keyway.scim.groups;

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

/** RFC 7644 §3 for Groups. */
@Path("/scim/v2/Groups")
@Tag(name = "SCIM Groups")
@Produces({ ScimMediaType.SCIM_JSON, MediaType.APPLICATION_JSON })
@Consumes(MediaType.WILDCARD)
@RolesAllowed(Roles.SCIM_CLIENT)
public class GroupsResource {

    private final GroupService groups;
    private final ScimCaller caller;
    private final String baseUrl;

    public GroupsResource(GroupService groups, ScimCaller caller, Deployment deployment) {
        this.groups = groups;
        this.caller = caller;
        this.baseUrl = deployment.ownUrl() + "/scim/v2";
    }

    @GET
    @Operation(summary = "List or filter groups (excludedAttributes=members skips loading members)")
    public Uni<ListResponse> list(@RestQuery String filter, @RestQuery String startIndex, @RestQuery String count,
            @RestQuery String sortBy, @RestQuery String sortOrder, @RestQuery String attributes,
            @RestQuery String excludedAttributes, @RestQuery String cursor, @Context UriInfo uri) {
        // "?cursor" or "?cursor=" asks for the first page of a cursor listing (RFC 9865)
        if (cursor == null && uri.getQueryParameters().containsKey("cursor")) {
            cursor = "";
        }
        return list(ListQuery.of(ScimSchemas.GROUPS, filter, startIndex, count, sortBy, sortOrder, attributes,
                excludedAttributes, cursor));
    }

    @POST
    @Path(".search")
    @Operation(summary = "Search groups with a SearchRequest body")
    public Uni<ListResponse> search(byte[] body) {
        return list(ListQuery.ofSearch(ScimSchemas.GROUPS, ScimBodies.parse(body)));
    }

    @POST
    @Operation(summary = "Create a group")
    public Uni<Response> create(byte[] body) {
        return groups.create(caller.tenant(), ScimBodies.parse(body)).map(view -> Response
                .created(URI.create(baseUrl + "/Groups/" + view.group().id()))
                .tag(tag(view.group())).entity(render(view, Projection.all())).build());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A group")
    public Uni<Response> get(@PathParam("id") String id, @RestQuery String attributes,
            @RestQuery String excludedAttributes, @RestHeader("If-None-Match") String ifNoneMatch) {
        Projection projection = Projection.of(ScimSchemas.GROUPS, attributes, excludedAttributes);
        return groups.get(caller.tenant(), id, projection).map(view -> ifNoneMatch != null
                && ETags.matches(ifNoneMatch, view.group().version())
                        ? Response.notModified().tag(tag(view.group())).build()
                        : Response.ok(render(view, projection)).tag(tag(view.group())).build());
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace a group, members included")
    public Uni<Response> replace(@PathParam("id") String id, byte[] body, @RestHeader("If-Match") String ifMatch) {
        return groups.replace(caller.tenant(), id, ScimBodies.parse(body), ifMatch)
                .map(view -> Response.ok(render(view, Projection.all())).tag(tag(view.group())).build());
    }

    /**
     * PATCH answers 204 (RFC 7644 §3.5.2 allows it) so a change costs O(change); with attributes or
     * excludedAttributes it answers 200 with the group as projected.
     */
    @PATCH
    @Path("{id}")
    @Operation(summary = "Modify a group: members add/remove/replace, rename")
    public Uni<Response> patch(@PathParam("id") String id, byte[] body, @RestHeader("If-Match") String ifMatch,
            @RestQuery String attributes, @RestQuery String excludedAttributes) {
        Uni<Group> patched = groups.patch(caller.tenant(), id, ScimBodies.parse(body), ifMatch);
        if (attributes == null && excludedAttributes == null) {
            return patched.map(group -> Response.noContent().tag(tag(group)).build());
        }
        Projection projection = Projection.of(ScimSchemas.GROUPS, attributes, excludedAttributes);
        return patched.chain(group -> groups.withMembers(group, projection))
                .map(view -> Response.ok(render(view, projection)).tag(tag(view.group())).build());
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a group")
    public Uni<Response> delete(@PathParam("id") String id, @RestHeader("If-Match") String ifMatch) {
        return groups.delete(caller.tenant(), id, ifMatch).replaceWith(Response.noContent().build());
    }

    private Uni<ListResponse> list(ListQuery query) {
        return groups.list(caller.tenant(), query).map(page -> ListResponse.of(query, page.total(), page.next(),
                page.groups().stream().map(view -> render(view, query.projection())).toList()));
    }

    private ObjectNode render(GroupService.GroupView view, Projection projection) {
        return projection.apply(ScimSchemas.GROUPS, GroupRendering.render(view.group(), view.members(), baseUrl));
    }

    private static EntityTag tag(Group group) {
        return new EntityTag(Long.toString(group.version()), true);
    }
}
