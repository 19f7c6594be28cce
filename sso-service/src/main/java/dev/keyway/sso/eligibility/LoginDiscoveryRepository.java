package dev.keyway.sso.eligibility;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyway.sso.connection.SamlSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Which organization verified an e-mail domain and has an IdP. Queries only. */
@ApplicationScoped
public class LoginDiscoveryRepository {

    /** An organization that signs a verified domain's users in through SAML, with its sign-in settings. */
    public record VerifiedOrganization(String slug, String displayName, SamlSettings settings) {
    }

    // a verified domain belongs to one organization at most (unique index), so this is one row or none
    private static final String ORGANIZATIONS = """
            select o.slug, o.display_name, c.settings::text as settings
            from email_domain d join organization o on o.id = d.org_id
                 join saml_connection c on c.org_id = o.id and c.idp_entity_id is not null
            where d.domain = $1 and d.verified_at is not null""";

    private final Pool pool;
    private final ObjectMapper json;

    public LoginDiscoveryRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** @param domain a normalized domain name */
    public Uni<List<VerifiedOrganization>> byVerifiedDomain(String domain) {
        return pool.preparedQuery(ORGANIZATIONS).execute(Tuple.of(domain)).map(rows -> {
            List<VerifiedOrganization> organizations = new ArrayList<>();
            for (Row row : rows) {
                organizations.add(new VerifiedOrganization(row.getString("slug"), row.getString("display_name"),
                        SamlSettings.merge(json, stored(row.getString("settings")), null)));
            }
            return organizations;
        });
    }

    private JsonNode stored(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
