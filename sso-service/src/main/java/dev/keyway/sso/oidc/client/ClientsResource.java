package dev.keyway.sso.oidc.client;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyway.runtime.auth.Roles;
import io.smallrye.mutiny.Uni;

/** The operator registers the apps that sign their users in through Keyway (OpenID Connect clients). */
@Path("/admin/oidc/clients")
@Tag(name = "OpenID Connect clients")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class ClientsResource {

    private static final String URI_MESSAGE = "at most 2048 characters";
    private static final String AUTH_METHODS = "client_secret_basic|client_secret_post|private_key_jwt";

    /** An app as the operator registers it. */
    public record ClientRequest(
            @Pattern(regexp = "[A-Za-z0-9._~-]{1,100}",
                    message = "1-100 characters of A-Z, a-z, 0-9 and . _ ~ -; omit to have one generated") String clientId,
            @NotBlank(message = "required, at most 200 characters") @Size(max = 200,
                    message = "required, at most 200 characters") String name,
            @NotNull(message = "must be one of " + AUTH_METHODS) @Pattern(regexp = AUTH_METHODS,
                    message = "must be one of " + AUTH_METHODS) String tokenEndpointAuthMethod,
            @NotEmpty(message = "at least one, at most 20, compared exactly") @Size(max = 20,
                    message = "at least one, at most 20, compared exactly") List<@NotBlank @Size(max = 2048,
                            message = URI_MESSAGE) String> redirectUris,
            @Size(max = 20, message = "at most 20") List<@NotBlank @Size(max = 2048,
                    message = URI_MESSAGE) String> postLogoutRedirectUris,
            Map<String, Object> jwks,
            @Size(max = 2048, message = URI_MESSAGE) String backchannelLogoutUri,
            @Size(max = 2048, message = URI_MESSAGE) String initiateLoginUri,
            @Size(max = 1000,
                    message = "at most 1000; omit for every organization") List<@NotNull @Pattern(
                            regexp = "[a-z0-9][a-z0-9-]{0,61}[a-z0-9]",
                            message = "organization slugs") String> allowedOrganizations) {

        Clients.Registration registration() {
            return new Clients.Registration(clientId, name, tokenEndpointAuthMethod, redirectUris,
                    postLogoutRedirectUris, jwks, backchannelLogoutUri, initiateLoginUri, allowedOrganizations);
        }
    }

    /** A client as the admin API shows it; {@code clientSecret} only in the answer that generated it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientView(String clientId, String clientSecret, String name, String tokenEndpointAuthMethod,
            List<String> redirectUris, List<String> postLogoutRedirectUris, Map<String, Object> jwks,
            String backchannelLogoutUri, String initiateLoginUri, List<String> allowedOrganizations) {
    }

    private final Clients clients;
    private final ObjectMapper json;

    public ClientsResource(Clients clients, ObjectMapper json) {
        this.clients = clients;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an app; a client secret is generated and shown in this answer only")
    public Uni<Response> register(@NotNull(message = "A JSON body is required") @Valid ClientRequest body) {
        return clients.register(body.registration()).map(registered -> Response
                .created(URI.create("/admin/oidc/clients/" + registered.client().clientId()))
                .entity(view(registered.client(), registered.clientSecret())).build());
    }

    @GET
    @Operation(summary = "Every registered app (never a secret)")
    public Uni<List<ClientView>> list() {
        return clients.list().map(all -> all.stream().map(client -> view(client, null)).toList());
    }

    @GET
    @Path("{clientId}")
    @Operation(summary = "One registered app (never its secret)")
    public Uni<ClientView> get(@PathParam("clientId") String clientId) {
        return clients.get(clientId).map(client -> view(client, null));
    }

    @PUT
    @Path("{clientId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace an app's registration (its secret stays; clientId in the body is ignored)")
    public Uni<ClientView> update(@PathParam("clientId") String clientId,
            @NotNull(message = "A JSON body is required") @Valid ClientRequest body) {
        return clients.update(clientId, body.registration())
                .map(registered -> view(registered.client(), registered.clientSecret()));
    }

    @POST
    @Path("{clientId}/secret")
    @Operation(summary = "Generate a new client secret (shown once); the old one stops working at once")
    public Uni<ClientView> rotateSecret(@PathParam("clientId") String clientId) {
        return clients.rotateSecret(clientId).map(registered -> view(registered.client(), registered.clientSecret()));
    }

    @DELETE
    @Path("{clientId}")
    @Operation(summary = "Delete an app: its codes, tokens and pending logouts go with it")
    public Uni<Response> delete(@PathParam("clientId") String clientId) {
        return clients.delete(clientId).replaceWith(Response.noContent().build());
    }

    private ClientView view(OidcClient client, String secret) {
        Map<String, Object> jwks;
        try {
            jwks = client.jwks() == null ? null : json.readValue(client.jwks(), new TypeReference<>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JWKS is not JSON", e);
        }
        return new ClientView(client.clientId(), secret, client.name(), client.authMethod().wire(),
                client.redirectUris(), client.postLogoutRedirectUris(), jwks, client.backchannelLogoutUri(),
                client.initiateLoginUri(), client.allowedOrganizations());
    }
}
