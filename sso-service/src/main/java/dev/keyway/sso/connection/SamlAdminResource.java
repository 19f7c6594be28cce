package dev.keyway.sso.connection;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keyway.runtime.auth.OrganizationAccess;
import dev.keyway.runtime.problem.ApiException;
import dev.keyway.sso.config.SsoConfig;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** An organization's SAML set-up, for its owner: what to paste into JumpCloud, and what JumpCloud gave back. */
@Path("/admin/orgs/{slug}/saml")
@Tag(name = "SAML")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(OrganizationAccess.ADMINISTER)
public class SamlAdminResource {

    public static final String SAML_METADATA = "application/samlmetadata+xml";
    public static final String PEM = "application/x-pem-file";

    /**
     * A certificate as shown to admins, with its expiry and use: "signing" or "encryption" ("both" for an SP key made
     * before keys had a use; IdP certificates are always "signing").
     */
    public record CertificateView(UUID id, String subject, String fingerprint, Instant notAfter, boolean expiresSoon,
            String pem, String use) {
    }

    /** The IdP this organization trusts. */
    public record IdpView(String entityId, String redirectUrl, String postUrl, String metadataUrl,
            List<CertificateView> certificates) {
    }

    /**
     * What the customer pastes into JumpCloud (spEntityId → "SP Entity ID", acsUrl → "ACS URL", the SP certificate
     * → "SP Certificate"), and the IdP side.
     */
    public record SamlView(String spEntityId, String acsUrl, String metadataUrl, String loginUrl, boolean configured,
            boolean spInitiated, IdpView idp, List<CertificateView> spCertificates, boolean certificateExpiresSoon,
            SamlSettings settings) {
    }

    /** JSON for PUT /idp: a metadata URL, or entity id, SSO URL and certificates by hand. */
    public record IdpRequest(String metadataUrl, String entityId, String ssoUrl, List<String> certificates) {
    }

    private final SamlConnections connections;
    private final SpEndpoints endpoints;
    private final SsoConfig config;

    public SamlAdminResource(SamlConnections connections, SpEndpoints endpoints, SsoConfig config) {
        this.connections = connections;
        this.endpoints = endpoints;
        this.config = config;
    }

    @GET
    @Operation(summary = "What to paste into JumpCloud, the IdP trusted, SP certificates, settings and expiry warnings")
    public Uni<SamlView> get(@PathParam("slug") String slug) {
        return connections.load(slug).map(this::view);
    }

    @PUT
    @Path("idp")
    @Consumes({ SAML_METADATA, MediaType.APPLICATION_XML, MediaType.TEXT_XML })
    @Operation(summary = "Trust the IdP described by its metadata (JumpCloud's Export Metadata)")
    public Uni<SamlView> trustMetadata(@PathParam("slug") String slug, String metadata) {
        return connections.trustMetadata(slug, metadata, null).map(this::view);
    }

    @PUT
    @Path("idp")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Trust an IdP: {\"metadataUrl\"} or {\"entityId\",\"certificates\":[PEM, …]} and, if known,"
            + " \"ssoUrl\" (without it sign-in starts from the JumpCloud user portal)")
    public Uni<SamlView> trust(@PathParam("slug") String slug,
            @NotNull(
                    message = "A JSON body with metadataUrl, or entityId, ssoUrl and certificates, is required") IdpRequest request) {
        Uni<SamlConnection> trusted = request.metadataUrl() != null
                ? connections.trustMetadataUrl(slug, request.metadataUrl())
                : connections.trustManually(slug, request.entityId(), request.ssoUrl(), request.certificates());
        return trusted.map(this::view);
    }

    @POST
    @Path("sp-certificates")
    @Operation(summary = "Generate an SP key pair and certificate for ?use=signing (the default) or ?use=encryption;"
            + " older ones keep working until retired; 409 past keyway.sso.max-sp-keys-per-use")
    public Uni<Response> generateSpCertificate(@PathParam("slug") String slug, @RestQuery String use) {
        SpKeyUse requested = SpKeyUse.requested(use);
        return connections.generateSpKey(slug, requested).map(key -> Response
                .created(URI.create("/admin/orgs/" + slug + "/saml/sp-certificates/" + key.id()))
                .entity(certificate(key)).build());
    }

    @GET
    @Path("sp-certificates/{id}")
    @Produces({ PEM, MediaType.APPLICATION_JSON })
    @Operation(summary = "An SP certificate, as PEM (Accept: application/x-pem-file) or JSON; never its private key")
    public Uni<Response> spCertificate(@PathParam("slug") String slug, @PathParam("id") UUID id,
            @jakarta.ws.rs.HeaderParam("Accept") String accept) {
        return connections.load(slug).map(connection -> {
            SamlConnection.SpKey key = connection.spKeys().stream().filter(candidate -> candidate.id().equals(id))
                    .findFirst().orElseThrow(() -> ApiException.notFound("No active SP certificate " + id + "."));
            return accept != null && accept.contains(PEM)
                    ? Response.ok(Certificates.pem(key.certificate()), PEM)
                            .header("Content-Disposition", "attachment; filename=\"keyway-sp-" + slug + ".pem\"")
                            .build()
                    : Response.ok(certificate(key), MediaType.APPLICATION_JSON).build();
        });
    }

    @DELETE
    @Path("sp-certificates/{id}")
    @Operation(summary = "Retire an SP certificate: it no longer decrypts nor appears in metadata")
    public Uni<Response> retireSpCertificate(@PathParam("slug") String slug, @PathParam("id") UUID id) {
        return connections.retireSpKey(slug, id).replaceWith(Response.noContent().build());
    }

    @PATCH
    @Path("settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change sign-in settings; fields left out keep their value")
    public Uni<SamlSettings> updateSettings(@PathParam("slug") String slug, JsonNode patch) {
        return connections.updateSettings(slug, patch);
    }

    private SamlView view(SamlConnection connection) {
        List<CertificateView> idp = connection.idpCertificates().stream()
                .map(certificate -> certificate(certificate.id(), certificate.certificate(), "signing")).toList();
        return new SamlView(endpoints.entityId(connection.slug()), endpoints.acs(connection.slug()),
                endpoints.metadata(connection.slug()), endpoints.login(connection.slug()), connection.configured(),
                connection.spInitiated(),
                connection.idpEntityId() == null ? null : new IdpView(connection.idpEntityId(),
                        connection.idpRedirectUrl(), connection.idpPostUrl(), connection.idpMetadataUrl(), idp),
                connection.spKeys().stream().map(this::certificate).toList(),
                idp.stream().anyMatch(CertificateView::expiresSoon), connection.settings());
    }

    private CertificateView certificate(SamlConnection.SpKey key) {
        return certificate(key.id(), key.certificate(), key.use().value());
    }

    private CertificateView certificate(UUID id, X509Certificate certificate, String use) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        return new CertificateView(id, certificate.getSubjectX500Principal().getName(),
                Certificates.sha256Fingerprint(certificate), notAfter,
                notAfter.isBefore(Instant.now().plus(config.certificateExpiryWarningDays(), ChronoUnit.DAYS)),
                Certificates.pem(certificate), use);
    }
}
