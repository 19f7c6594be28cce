package dev.keyway.scim.receivers;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** RFC 8936 poll delivery of the directory's SETs, for an app registered in poll mode, with its token. */
@Path(PollTokenMechanism.PATH)
@Tag(name = "Directory events")
public class PollResource {

    private final PollService polls;
    private final SecurityIdentity identity;

    public PollResource(PollService polls, SecurityIdentity identity) {
        this.polls = polls;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(PollTokenIdentityProvider.ROLE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Acknowledge SETs and receive the next ones (RFC 8936)")
    public Uni<PollService.Polled> poll(@Valid @NotNull PollRequest request) {
        Receiver receiver = identity.getAttribute(PollTokenIdentityProvider.RECEIVER);
        return polls.poll(receiver, request);
    }
}
