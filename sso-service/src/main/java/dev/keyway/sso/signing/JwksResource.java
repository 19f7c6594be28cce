package dev.keyway.sso.signing;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * The public keys every service verifies owner tokens with, and the apps ID tokens and SETs: the key that signs now,
 * a new key published ahead of signing, and old keys until every token they signed has expired.
 */
@Path("/.well-known/jwks.json")
@PermitAll
public class JwksResource {

    /** Verifiers may cache the set this long; a new key is published far longer than this before it signs. */
    static final String CACHE_CONTROL = "public, max-age=300";

    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> jwks() {
        return keys.jwks().map(jwks -> Response.ok(jwks).header("Cache-Control", CACHE_CONTROL).build());
    }
}
