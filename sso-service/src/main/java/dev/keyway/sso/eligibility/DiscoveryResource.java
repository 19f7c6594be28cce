package dev.keyway.sso.eligibility;

import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.keyway.runtime.problem.ApiException;
import dev.keyway.sso.connection.SpEndpoints;
import io.smallrye.mutiny.Uni;

/**
 * What the SaaS's login page asks once the user typed an e-mail: does an organization sign this person in through
 * SSO, where SSO starts, and whether a password is still allowed. The answer comes from the address's domain alone,
 * and only from a domain an organization verified (DNS): anyone may ask, so it must not tell whether the address
 * belongs to a user, nor let an organization draw in another's users by claiming their domain.
 */
@Path("/login/discover")
@Tag(name = "Sessions")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class DiscoveryResource {

    /** The organization that verified the e-mail's domain. */
    public record Organization(String slug, String displayName, String ssoUrl, boolean passwordLoginAllowed) {
    }

    /** The answer for one e-mail: the same fields whatever the address, at most one organization. */
    public record Discovery(String email, boolean sso, boolean passwordLoginAllowed, List<Organization> organizations) {
    }

    private final LoginDiscovery discovery;
    private final SpEndpoints endpoints;

    public DiscoveryResource(LoginDiscovery discovery, SpEndpoints endpoints) {
        this.discovery = discovery;
        this.endpoints = endpoints;
    }

    @GET
    @Operation(summary = "Home-realm discovery for the login page: SSO or password, and where SSO starts")
    public Uni<Discovery> discover(@RestQuery String email) {
        String address = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        int at = address.lastIndexOf('@');
        if (at < 1 || at == address.length() - 1) {
            throw ApiException.badRequest("email: an e-mail address is required.");
        }
        return discovery.organizationsFor(address).map(found -> discovery(address, found.stream()
                .map(org -> new Organization(org.slug(), org.displayName(), endpoints.login(org.slug()),
                        org.settings().passwordLoginAllowed()))
                .toList()));
    }

    private static Discovery discovery(String address, List<Organization> organizations) {
        return new Discovery(address, !organizations.isEmpty(),
                organizations.stream().allMatch(Organization::passwordLoginAllowed), organizations);
    }
}
