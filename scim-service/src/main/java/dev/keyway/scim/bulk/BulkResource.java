package dev.keyway.scim.bulk;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.keyway.runtime.auth.Roles;
import dev.keyway.scim.protocol.ScimBodies;
import dev.keyway.scim.protocol.ScimMediaType;
import dev.keyway.scim.token.ScimCaller;
import io.smallrye.mutiny.Uni;

/** RFC 7644 §3.7 over HTTP; {@link BulkService} runs the operations. */
@Path("/scim/v2/Bulk")
@Tag(name = "SCIM Bulk")
@Produces({ ScimMediaType.SCIM_JSON, MediaType.APPLICATION_JSON })
@Consumes(MediaType.WILDCARD)
@RolesAllowed(Roles.SCIM_CLIENT)
public class BulkResource {

    private final BulkService bulk;
    private final ScimCaller caller;

    public BulkResource(BulkService bulk, ScimCaller caller) {
        this.bulk = bulk;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Run several operations, resolving bulkId references")
    public Uni<Response> bulk(byte[] body) {
        return bulk.run(caller.tenant(), ScimBodies.parse(body)).map(response -> Response.ok(response).build());
    }
}
