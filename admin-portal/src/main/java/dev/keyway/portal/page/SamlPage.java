package dev.keyway.portal.page;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.portal.backend.Refusal;
import dev.keyway.portal.backend.SsoAdmin;
import dev.keyway.portal.link.Scope;
import dev.keyway.portal.session.PortalSessions;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * SAML single sign-on: what to paste into JumpCloud, the IdP JumpCloud describes (metadata file, metadata URL, or
 * IdP Entity ID and certificate), the SP certificate, IdP-initiated sign-in, and a test sign-in. sso-service owns all
 * of it; this page calls its admin API as the organization's owner.
 *
 * <p>Every method is reached with the portal's session cookie, which {@link Portal#enter} checks (organization and
 * scope) before anything else; there is no other caller to admit, hence {@code @PermitAll}.
 */
@Path("/portal/{slug}/saml")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class SamlPage {

    private final Portal portal;
    private final SsoAdmin sso;
    private final Template page;
    private final Template testResult;
    private final Template signIns;

    public SamlPage(Portal portal, @RestClient SsoAdmin sso, @Location("saml.html") Template page,
            @Location("saml-test.html") Template testResult, @Location("sign-ins.html") Template signIns) {
        this.portal = portal;
        this.sso = sso;
        this.page = page;
        this.testResult = testResult;
        this.signIns = signIns;
    }

    @GET
    public Uni<TemplateInstance> show(@PathParam("slug") String slug,
            @CookieParam(PortalSessions.COOKIE) String cookie, @RestQuery String done) {
        return portal.enter(cookie, slug, Scope.SSO).chain(visit -> render(visit, Map.of(), Map.of(), done));
    }

    @POST
    @Path("idp/metadata-file")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<Response> uploadMetadata(@PathParam("slug") String slug,
            @CookieParam(PortalSessions.COOKIE) String cookie, @RestForm("metadataFile") FileUpload file) {
        return portal.enter(cookie, slug, Scope.SSO).chain(visit -> {
            if (file == null || file.size() == 0) {
                return invalid(visit, Map.of("metadataFile", "Choose the metadata file JumpCloud exported."),
                        Map.of());
            }
            String xml;
            try {
                xml = Files.readString(file.uploadedFile(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return save(visit, sso.trustMetadata(visit.bearer(), slug, xml), "metadataFile", Map.of(),
                    "idp-saved");
        });
    }

    @POST
    @Path("idp/metadata-url")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> metadataUrl(@PathParam("slug") String slug,
            @CookieParam(PortalSessions.COOKIE) String cookie, @RestForm String metadataUrl) {
        return portal.enter(cookie, slug, Scope.SSO).chain(visit -> {
            if (metadataUrl == null || metadataUrl.isBlank()) {
                return invalid(visit, Map.of("metadataUrl", "Paste the URL JumpCloud's Copy Metadata URL gave you."),
                        Map.of("metadataUrl", ""));
            }
            ObjectNode body = portal.object().put("metadataUrl", metadataUrl.strip());
            return save(visit, sso.trust(visit.bearer(), slug, body), "metadataUrl",
                    Map.of("metadataUrl", metadataUrl), "idp-saved");
        });
    }

    @POST
    @Path("idp/manual")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> manual(@PathParam("slug") String slug, @CookieParam(PortalSessions.COOKIE) String cookie,
            @RestForm String entityId, @RestForm String certificate, @RestForm String ssoUrl) {
        return portal.enter(cookie, slug, Scope.SSO).chain(visit -> {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("entityId", entityId == null ? "" : entityId);
            values.put("certificate", certificate == null ? "" : certificate);
            values.put("ssoUrl", ssoUrl == null ? "" : ssoUrl);
            Map<String, String> errors = new LinkedHashMap<>();
            if (entityId == null || entityId.isBlank()) {
                errors.put("entityId", "Paste JumpCloud's IdP Entity ID.");
            }
            if (certificate == null || certificate.isBlank()) {
                errors.put("certificate", "Paste the IdP Certificate JumpCloud shows (with or without its header).");
            }
            if (!errors.isEmpty()) {
                return invalid(visit, errors, values);
            }
            ObjectNode body = portal.object().put("entityId", entityId.strip());
            if (ssoUrl != null && !ssoUrl.isBlank()) {
                body.put("ssoUrl", ssoUrl.strip());
            }
            ArrayNode certificates = body.putArray("certificates");
            certificates.add(certificate.strip());
            return save(visit, sso.trust(visit.bearer(), slug, body), "certificate", values, "idp-saved");
        });
    }

    @POST
    @Path("sp-certificates")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> generate(@PathParam("slug") String slug, @CookieParam(PortalSessions.COOKIE) String cookie,
            @RestForm String use) {
        return portal.enter(cookie, slug, Scope.SSO).chain(visit -> save(visit,
                sso.generateSpCertificate(visit.bearer(), slug, "encryption".equals(use) ? "encryption" : "signing"),
                "spCertificate", Map.of(), "sp-certificate-generated"));
    }

    @POST
    @Path("sp-certificates/{id}/retire")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> retire(@PathParam("slug") String slug, @PathParam("id") String id,
            @CookieParam(PortalSessions.COOKIE) String cookie) {
        return portal.enter(cookie, slug, Scope.SSO).chain(visit -> save(visit,
                sso.retireSpCertificate(visit.bearer(), slug, id).replaceWith(portal.object()), "spCertificate",
                Map.of(), "sp-certificate-retired"));
    }

    @GET
    @Path("sp-certificates/{id}/download")
    @Produces("application/x-pem-file")
    public Uni<Response> download(@PathParam("slug") String slug, @PathParam("id") String id,
            @CookieParam(PortalSessions.COOKIE) String cookie) {
        return portal.enter(cookie, slug, Scope.SSO).chain(visit -> sso.spCertificatePem(visit.bearer(), slug, id))
                .map(pem -> Response.ok(pem, "application/x-pem-file").header("Content-Disposition",
                        "attachment; filename=\"keyway-sp-" + slug + ".pem\"").build());
    }

    @POST
    @Path("idp-initiated")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> idpInitiated(@PathParam("slug") String slug,
            @CookieParam(PortalSessions.COOKIE) String cookie, @RestForm String allow) {
        return portal.enter(cookie, slug, Scope.SSO).chain(visit -> save(visit,
                sso.updateSettings(visit.bearer(), slug,
                        portal.object().put("allowIdpInitiated", "on".equals(allow))),
                "allowIdpInitiated", Map.of(), "settings-saved"));
    }

    /**
     * Prepares a test sign-in: lets sso-service send the user back to this portal afterwards (the portal's host joins
     * the organization's allowed return hosts), then offers the link that starts a real SP-initiated sign-in. A link,
     * not a redirect, because the page's Content-Security-Policy lets forms post to the portal only.
     */
    @POST
    @Path("test-sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<TemplateInstance> prepareTest(@PathParam("slug") String slug,
            @CookieParam(PortalSessions.COOKIE) String cookie) {
        return portal.enter(cookie, slug, Scope.SSO).chain(visit -> sso.saml(visit.bearer(), slug).chain(saml -> {
            if (!saml.path("spInitiated").asBoolean()) {
                return Uni.createFrom().item(testResult.data("nav", visit.nav()).data("start", null)
                        .data("attempt", null).data("reload", null).data("problem", saml.path("configured").asBoolean()
                                ? "JumpCloud's SSO URL is not known yet, so sign-in starts from the JumpCloud user"
                                        + " portal. Upload JumpCloud's metadata (or add its IdP URL) to test from here."
                                : "Connect JumpCloud first: the IdP is not configured."));
            }
            String portalHost = URI.create(portal.ownUrl()).getAuthority().toLowerCase(Locale.ROOT);
            List<String> hosts = new ArrayList<>();
            saml.path("settings").path("allowedRelayStateHosts").forEach(host -> hosts.add(host.asText()));
            Uni<JsonNode> allowed = Uni.createFrom().item(saml);
            if (!hosts.contains(portalHost)) {
                hosts.add(portalHost);
                ObjectNode patch = portal.object();
                hosts.forEach(patch.putArray("allowedRelayStateHosts")::add);
                allowed = sso.updateSettings(visit.bearer(), slug, patch);
            }
            String returnTo = portal.ownUrl() + "/portal/" + slug + "/saml/test-result";
            String start = saml.path("loginUrl").asText() + "?returnTo="
                    + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
            return allowed.map(ignored -> testResult.data("nav", visit.nav()).data("start", start)
                    .data("attempt", null).data("problem", null).data("reload", null));
        }));
    }

    /**
     * Where the test sign-in returns: its outcome from sso-service's sign-in log. The browser arrives from the IdP, a
     * cross-site navigation that carries no SameSite=Strict cookie; a page of this site's own then reloads it once,
     * which does.
     */
    @GET
    @Path("test-result")
    public Uni<Response> testResult(@PathParam("slug") String slug, @CookieParam(PortalSessions.COOKIE) String cookie,
            @RestQuery String again) {
        if (cookie == null && again == null) {
            return Uni.createFrom().item(Response.ok(testResult.data("nav", null).data("start", null)
                    .data("attempt", null).data("problem", null)
                    .data("reload", "/portal/" + slug + "/saml/test-result?again=1").render()).build());
        }
        return portal.enter(cookie, slug, Scope.SSO).chain(visit -> sso.logins(visit.bearer(), slug, 1)
                .map(logins -> Response.ok(testResult.data("nav", visit.nav()).data("start", null)
                        .data("attempt", logins.isEmpty() ? null : portal.map(logins.get(0)))
                        .data("problem", logins.isEmpty() ? "No sign-in has reached Keyway yet." : null)
                        .data("reload", null).render()).build()));
    }

    /** The latest sign-in attempts (htmx refreshes this part of the page). */
    @GET
    @Path("sign-ins")
    public Uni<TemplateInstance> signIns(@PathParam("slug") String slug,
            @CookieParam(PortalSessions.COOKIE) String cookie) {
        return portal.enter(cookie, slug, Scope.SSO).chain(visit -> sso.logins(visit.bearer(), slug, 5)
                .map(logins -> signIns.data("logins", portal.list(logins))));
    }

    private Uni<Response> save(Portal.Visit visit, Uni<JsonNode> call, String field, Map<String, String> values,
            String done) {
        return call.map(saved -> Response.seeOther(URI.create("/portal/" + visit.slug() + "/saml?done=" + done))
                .build())
                .onFailure().recoverWithUni(failure -> Refusal.of(failure)
                        .map(refusal -> invalid(visit, Map.of(field, refusal.detail()), values))
                        .orElseGet(() -> Uni.createFrom().failure(failure)));
    }

    private Uni<Response> invalid(Portal.Visit visit, Map<String, String> errors, Map<String, String> values) {
        return render(visit, errors, values, null)
                .map(rendered -> Response.status(400).entity(rendered.render()).type(MediaType.TEXT_HTML).build());
    }

    private Uni<TemplateInstance> render(Portal.Visit visit, Map<String, String> errors, Map<String, String> values,
            String done) {
        return sso.saml(visit.bearer(), visit.slug()).map(saml -> page.data("nav", visit.nav())
                .data("saml", portal.map(saml)).data("errors", errors).data("values", values)
                .data("done", done == null ? "" : done));
    }
}
