package dev.keyway.sso.eligibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyway.common.problem.ApiException;
import dev.keyway.sso.connection.SamlSettings;
import dev.keyway.sso.connection.SpEndpoints;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What the SaaS's login page asks once the user typed an e-mail: does an organization sign this person in through
 * SSO (because the directory knows them, or because it claims their e-mail domain), where SSO starts, and whether a
 * password is still allowed.
 */
@Path("/login/discover")
@Tag(name = "Sessions")
@Produces(MediaType.APPLICATION_JSON)
public class DiscoveryResource {

    /** An organization the e-mail belongs to. */
    public record Organization(String slug, String displayName, String ssoUrl, boolean passwordLoginAllowed) {
    }

    /** The answer for one e-mail. */
    public record Discovery(String email, boolean sso, boolean passwordLoginAllowed, List<Organization> organizations) {
    }

    private static final String ORGANIZATIONS = """
            select o.slug, o.display_name, c.settings::text as settings,
                   (c.idp_entity_id is not null) as configured
            from organization o left join saml_connection c on c.org_id = o.id
            where o.id in (select org_id from login_user where lower(email) = $1 and active)
               or c.settings -> 'emailDomains' ? $2
            order by o.slug""";

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
        return pool.preparedQuery(ORGANIZATIONS).execute(Tuple.of(address, address.substring(at + 1))).map(rows -> {
            List<Organization> organizations = new ArrayList<>();
            for (Row row : rows) {
                if (!row.getBoolean("configured")) {
                    continue;
                }
                SamlSettings settings = SamlSettings.merge(json(row.getString("settings")), null);
                organizations.add(new Organization(row.getString("slug"), row.getString("display_name"),
                        endpoints.login(row.getString("slug")), settings.passwordLoginAllowed()));
            }
            return new Discovery(address, !organizations.isEmpty(),
                    organizations.stream().allMatch(Organization::passwordLoginAllowed), organizations);
        });
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
