package dev.keyway.scim.receivers;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.keyway.runtime.auth.Roles;
import io.smallrye.mutiny.Uni;

/** The operator registers the apps that receive the directory's events, watches their delivery and steers it. */
@Path("/admin/event-receivers")
@Tag(name = "Directory event receivers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class ReceiversResource {

    /** A receiver as the operator sees it: never its secret or token. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReceiverView(UUID id, String name, String mode, String url, String audience, String authType,
            List<UUID> organizations, List<String> eventTypes, boolean paused, Instant pausedAt, String pauseReason,
            String lastError, Instant lastErrorAt, Instant lastDeliveredAt, long backlog, Instant oldestPendingAt,
            Instant createdAt, String pollToken) {

        static ReceiverView of(Receiver receiver, String pollToken) {
            return new ReceiverView(receiver.id(), receiver.name(), receiver.mode(), receiver.url(),
                    receiver.audience(), receiver.authType(), receiver.organizations(), receiver.eventTypes(),
                    receiver.pausedAt() != null, receiver.pausedAt(), receiver.pauseReason(), receiver.lastError(),
                    receiver.lastErrorAt(), receiver.lastDeliveredAt(), receiver.backlog(),
                    receiver.oldestPendingAt(), receiver.createdAt(), pollToken);
        }
    }

    /** How many events a replay queued. */
    public record Replayed(int queued) {
    }

    private final ReceiverService receivers;

    public ReceiversResource(ReceiverService receivers) {
        this.receivers = receivers;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Register an app's receiver (push: URL and secret; poll: the response's pollToken, shown once)")
    public Uni<Response> register(@Valid @NotNull ReceiverRequest request) {
        return receivers.register(request).map(registered -> Response
                .created(URI.create("/admin/event-receivers/" + registered.receiver().id()))
                .header("Cache-Control", "no-store")
                .entity(ReceiverView.of(registered.receiver(), registered.pollToken())).build());
    }

    @GET
    @Operation(summary = "Every receiver with its delivery status (paused, last error, backlog)")
    public Uni<List<ReceiverView>> list() {
        return receivers.list().map(all -> all.stream().map(receiver -> ReceiverView.of(receiver, null)).toList());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One receiver with its delivery status")
    public Uni<ReceiverView> get(@PathParam("id") UUID id) {
        return receivers.get(id).map(receiver -> ReceiverView.of(receiver, null));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Remove a receiver and its backlog")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return receivers.delete(id).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("{id}/pause")
    @Operation(summary = "Stop pushing to a receiver; its events wait in the backlog")
    public Uni<ReceiverView> pause(@PathParam("id") UUID id) {
        return receivers.pause(id).map(receiver -> ReceiverView.of(receiver, null));
    }

    @POST
    @Path("{id}/resume")
    @Operation(summary = "Push again, the backlog at once and in order, with a fresh retry period")
    public Uni<ReceiverView> resume(@PathParam("id") UUID id) {
        return receivers.resume(id).map(receiver -> ReceiverView.of(receiver, null));
    }

    @POST
    @Path("{id}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deliver again every logged event since a point in time, in order per resource")
    public Uni<Replayed> replay(@PathParam("id") UUID id, @Valid @NotNull ReplayRequest request) {
        return receivers.replay(id, request.from()).map(Replayed::new);
    }
}
