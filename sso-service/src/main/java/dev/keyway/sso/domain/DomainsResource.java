package dev.keyway.sso.domain;

import java.net.URI;
import java.time.Instant;
import java.util.List;

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

import dev.keyway.runtime.auth.OrganizationAccess;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/**
 * An organization's e-mail domains, for its owner: claim one, publish the DNS TXT record shown, verify it. Only
 * verified domains send users to the organization's SSO from the login page.
 */
@Path("/admin/orgs/{slug}/domains")
@Tag(name = "E-mail domains")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(OrganizationAccess.ADMINISTER)
public class DomainsResource {

    /** JSON for POST: the domain to claim. */
    public record ClaimRequest(@ValidDomainName String domain) {
    }

    /** The DNS record that proves the claim. */
    public record TxtRecordView(String type, String name, String value) {
    }

    /** A claimed domain, its status and the record to publish; {@code lastFailure} says why it is not verified. */
    public record DomainView(String domain, Status status, TxtRecordView dnsRecord, Instant claimedAt,
            Instant verifiedAt, Instant lastCheckedAt, String lastFailure) {
    }

    public enum Status {
        PENDING,
        VERIFIED
    }

    private final EmailDomains domains;

    public DomainsResource(EmailDomains domains) {
        this.domains = domains;
    }

    @GET
    @Operation(summary = "The e-mail domains this organization claims, verified or not")
    public Uni<List<DomainView>> list(@PathParam("slug") String slug) {
        return domains.list(slug).map(all -> all.stream().map(DomainsResource::view).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Claim an e-mail domain: returns the TXT record to publish before verifying it")
    public Uni<Response> claim(@PathParam("slug") String slug,
            @NotNull(message = "A JSON body with the domain to claim is required") @Valid ClaimRequest request) {
        return domains.claim(slug, request.domain()).map(claimed -> claimed.created()
                ? Response.created(URI.create("/admin/orgs/" + slug + "/domains/" + claimed.domain().domain()))
                        .entity(view(claimed.domain())).build()
                : Response.ok(view(claimed.domain())).build());
    }

    @GET
    @Path("{domain}")
    @Operation(summary = "One claimed domain, its status and the TXT record to publish")
    public Uni<DomainView> get(@PathParam("slug") String slug, @PathParam("domain") String domain) {
        return domains.get(slug, domain).map(DomainsResource::view);
    }

    @POST
    @Path("{domain}/verify")
    @Operation(summary = "Look the TXT record up now: the domain is verified, or 422 says what DNS holds")
    public Uni<DomainView> verify(@PathParam("slug") String slug, @PathParam("domain") String domain) {
        return domains.verify(slug, domain).map(DomainsResource::view);
    }

    @DELETE
    @Path("{domain}")
    @Operation(summary = "Give the domain up: its users are no longer sent to this organization's SSO")
    public Uni<Response> release(@PathParam("slug") String slug, @PathParam("domain") String domain) {
        return domains.release(slug, domain).replaceWith(Response.noContent().build());
    }

    private static DomainView view(EmailDomain domain) {
        return new DomainView(domain.domain(), domain.verified() ? Status.VERIFIED : Status.PENDING,
                new TxtRecordView("TXT", domain.challengeName(), domain.challengeValue()), domain.claimedAt(),
                domain.verifiedAt(), domain.lastCheckedAt(), domain.lastFailure());
    }
}
