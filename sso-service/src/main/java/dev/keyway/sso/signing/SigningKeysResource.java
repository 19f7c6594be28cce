package dev.keyway.sso.signing;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.keyway.runtime.auth.Roles;
import io.smallrye.mutiny.Uni;

@Path("/admin/signing-keys")
@Tag(name = "Signing keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class SigningKeysResource {

    /** A published key: {@code pending} until it signs, then {@code active}, then {@code superseded} until retired. */
    public record SigningKeyView(String kid, Instant createdAt, Instant activatesAt, String status) {

        static SigningKeyView of(SigningKeys.SigningKey key, SigningKeys.SigningKey signer, Instant now) {
            String status = key.activatesAt().isAfter(now) ? "pending"
                    : key.kid().equals(signer.kid()) ? "active" : "superseded";
            return new SigningKeyView(key.kid(), key.createdAt(), key.activatesAt(), status);
        }
    }

    /** The keys in the JWKS, newest activation first. */
    public record SigningKeyList(List<SigningKeyView> keys) {
    }

    private final SigningKeys keys;

    public SigningKeysResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Operation(summary = "The published signing keys and which one signs (operator token)")
    public Uni<SigningKeyList> list() {
        return keys.signer().chain(signer -> keys.published().map(published -> {
            Instant now = Instant.now();
            return new SigningKeyList(published.stream().map(key -> SigningKeyView.of(key, signer, now)).toList());
        }));
    }

    @POST
    @Path("rotate")
    @Operation(summary = "Publish a new signing key now; it signs once the publish-ahead period has passed, and the "
            + "current key stays published until its tokens have expired (operator token)")
    public Uni<SigningKeyView> rotate() {
        return keys.rotate().chain(created -> keys.signer()
                .map(signer -> SigningKeyView.of(created, signer, Instant.now())));
    }
}
