package dev.keyway.scim.discovery;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.runtime.auth.Roles;
import dev.keyway.scim.protocol.ListResponse;
import dev.keyway.scim.protocol.ScimException;
import dev.keyway.scim.protocol.ScimMediaType;
import dev.keyway.scim.token.ScimCaller;

/** RFC 7644 §4 discovery for the calling organization; {@link DiscoveryService} renders it. */
@Path("/scim/v2")
@Tag(name = "SCIM discovery")
@Produces({ ScimMediaType.SCIM_JSON, MediaType.APPLICATION_JSON })
@RolesAllowed(Roles.SCIM_CLIENT)
public class DiscoveryResource {

    private final DiscoveryService discovery;
    private final ScimCaller caller;

    public DiscoveryResource(DiscoveryService discovery, ScimCaller caller) {
        this.discovery = discovery;
        this.caller = caller;
    }

    @GET
    @Path("ServiceProviderConfig")
    @Operation(summary = "What this SCIM server supports")
    public ObjectNode serviceProviderConfig() {
        return discovery.serviceProviderConfig(groupsEnabled());
    }

    @GET
    @Path("ResourceTypes")
    @Operation(summary = "The resource types served")
    public ListResponse resourceTypes() {
        return discovery.resourceTypes(groupsEnabled());
    }

    @GET
    @Path("ResourceTypes/{name}")
    public ObjectNode resourceType(@PathParam("name") String name) {
        return discovery.resourceType(groupsEnabled(), name)
                .orElseThrow(() -> ScimException.notFound("No resource type '" + name + "'."));
    }

    @GET
    @Path("Schemas")
    @Operation(summary = "The schemas served (core User, Enterprise User, Group)")
    public ListResponse schemas() {
        return discovery.schemas(groupsEnabled());
    }

    @GET
    @Path("Schemas/{id}")
    public ObjectNode schema(@PathParam("id") String id) {
        return discovery.schema(groupsEnabled(), id)
                .orElseThrow(() -> ScimException.notFound("No schema '" + id + "'."));
    }

    private boolean groupsEnabled() {
        return caller.tenant().groupsEnabled();
    }
}
