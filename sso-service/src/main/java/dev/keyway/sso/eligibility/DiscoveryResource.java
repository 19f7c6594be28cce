package dev.keyway.sso.eligibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyway.runtime.problem.ApiException;
import dev.keyway.sso.connection.SamlSettings;
import dev.keyway.sso.connection.SpEndpoints;
import dev.keyway.sso.domain.DomainName;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

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

    // a verified domain belongs to one organization at most (unique index), so this is one row or none
    private static final String ORGANIZATIONS = """
            select o.slug, o.display_name, c.settings::text as settings
            from email_domain d join organization o on o.id = d.org_id
                 join saml_connection c on c.org_id = o.id and c.idp_entity_id is not null
            where d.domain = $1 and d.verified_at is not null""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pool pool;
    private final SpEndpoints endpoints;

    public DiscoveryResource(Pool pool, SpEndpoints endpoints) {
        this.pool = pool;
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
        Optional<String> domain = DomainName.normalize(address.substring(at + 1));
        if (domain.isEmpty()) {
            return Uni.createFrom().item(discovery(address, List.of()));
        }
        return pool.preparedQuery(ORGANIZATIONS).execute(Tuple.of(domain.get())).map(rows -> {
            List<Organization> organizations = new ArrayList<>();
            for (Row row : rows) {
                SamlSettings settings = SamlSettings.merge(json(row.getString("settings")), null);
                organizations.add(new Organization(row.getString("slug"), row.getString("display_name"),
                        endpoints.login(row.getString("slug")), settings.passwordLoginAllowed()));
            }
            return discovery(address, organizations);
        });
    }

    private static Discovery discovery(String address, List<Organization> organizations) {
        return new Discovery(address, !organizations.isEmpty(),
                organizations.stream().allMatch(Organization::passwordLoginAllowed), organizations);
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
