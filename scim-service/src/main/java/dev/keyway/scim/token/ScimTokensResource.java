package dev.keyway.scim.token;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

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

import dev.keyway.runtime.auth.OrganizationAccess;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

@Path("/admin/orgs/{slug}/scim/tokens")
@Tag(name = "SCIM tokens")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(OrganizationAccess.ADMINISTER)
public class ScimTokensResource {

    /** A token as listed: never its secret. */
    public record TokenView(UUID id, String hint, Instant createdAt, Instant lastUsedAt) {

        static TokenView of(ScimToken token) {
            return new TokenView(token.id(), "…" + token.hint(), token.createdAt(), token.lastUsedAt());
        }
    }

    /** The organization's API key and its active tokens. */
    public record TokenList(String apiKey, List<TokenView> tokens) {
    }

    private final ScimTokenService tokens;

    public ScimTokensResource(ScimTokenService tokens) {
        this.tokens = tokens;
    }

    @POST
    @Operation(summary = "Generate a SCIM token; the response is the only time its secret is shown")
    public Uni<Response> issue(@PathParam("slug") String slug) {
        return tokens.issue(slug).map(issued -> Response
                .created(URI.create("/admin/orgs/" + slug + "/scim/tokens/" + issued.id()))
                .header("Cache-Control", "no-store")
                .entity(issued).build());
    }

    @GET
    @Operation(summary = "Active SCIM tokens (without secrets) and the organization's API key")
    public Uni<TokenList> list(@PathParam("slug") String slug) {
        return tokens.list(slug).chain(active -> tokens.apiKey(slug)
                .map(apiKey -> new TokenList(apiKey, active.stream().map(TokenView::of).toList())));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke a SCIM token (rotation: issue the new one, switch the client, then revoke the old)")
    public Uni<Response> revoke(@PathParam("slug") String slug, @PathParam("id") UUID id) {
        return tokens.revoke(slug, id).replaceWith(Response.noContent().build());
    }
}
