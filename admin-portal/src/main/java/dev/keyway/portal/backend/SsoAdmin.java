package dev.keyway.portal.backend;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** sso-service's admin API, as the portal uses it ({@code quarkus.rest-client.sso.url}). */
@RegisterRestClient(configKey = "sso")
@Path("/admin/orgs/{slug}")
@Produces(MediaType.APPLICATION_JSON)
public interface SsoAdmin {

    String PEM = "application/x-pem-file";

    @POST
    @Path("owner-tokens")
    Uni<JsonNode> issueOwnerToken(@HeaderParam("Authorization") String operator, @PathParam("slug") String slug);

    @DELETE
    @Path("owner-tokens/{jti}")
    Uni<Void> revokeOwnerToken(@HeaderParam("Authorization") String operator, @PathParam("slug") String slug,
            @PathParam("jti") String jti);

    @GET
    @Path("saml")
    Uni<JsonNode> saml(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug);

    @PUT
    @Path("saml/idp")
    @Consumes(MediaType.APPLICATION_XML)
    Uni<JsonNode> trustMetadata(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            String metadata);

    @PUT
    @Path("saml/idp")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<JsonNode> trust(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug, JsonNode idp);

    @POST
    @Path("saml/sp-certificates")
    Uni<JsonNode> generateSpCertificate(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            @QueryParam("use") String use);

    @GET
    @Path("saml/sp-certificates/{id}")
    @Produces(PEM)
    Uni<String> spCertificatePem(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            @PathParam("id") String id);

    @DELETE
    @Path("saml/sp-certificates/{id}")
    Uni<Void> retireSpCertificate(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            @PathParam("id") String id);

    @PATCH
    @Path("saml/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<JsonNode> updateSettings(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            JsonNode patch);

    @GET
    @Path("saml/logins")
    Uni<JsonNode> logins(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            @QueryParam("limit") int limit);

    @GET
    @Path("domains")
    Uni<JsonNode> domains(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug);

    @POST
    @Path("domains")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<JsonNode> claimDomain(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            JsonNode claim);

    @POST
    @Path("domains/{domain}/verify")
    Uni<JsonNode> verifyDomain(@HeaderParam("Authorization") String owner, @PathParam("slug") String slug,
            @PathParam("domain") String domain);
}
