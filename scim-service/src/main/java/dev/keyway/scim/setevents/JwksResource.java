package dev.keyway.scim.setevents;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;

/** The keys SETs are signed with, for anyone to verify them (no secret in it). */
@Path("/events/jwks.json")
@Tag(name = "Directory events")
public class JwksResource {

    private final SetSigner signer;

    public JwksResource(SetSigner signer) {
        this.signer = signer;
    }

    @GET
    @PermitAll
    @Produces("application/jwk-set+json")
    @Operation(summary = "The public keys that sign the directory's Security Event Tokens (JWKS, RFC 7517)")
    public Uni<Response> jwks() {
        return signer.jwks().map(keys -> Response.ok(keys).header("Cache-Control", "public, max-age=300").build());
    }
}
