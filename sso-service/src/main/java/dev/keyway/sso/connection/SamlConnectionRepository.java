package dev.keyway.sso.connection;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyway.common.tenant.Region;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SAML set-up tables: saml_connection, idp_certificate, sp_key. Queries only; private keys stay sealed (each SP
 * key carries an opener from {@link SpKeySeals}, called only by what signs or decrypts).
 */
@ApplicationScoped
public class SamlConnectionRepository {

    private static final String ORGANIZATION = """
            select o.id, o.slug, o.region, o.saml_version, c.idp_entity_id, c.idp_redirect_url, c.idp_post_url, c.idp_metadata_url,
                   c.settings::text as settings
            from organization o left join saml_connection c on c.org_id = o.id where o.slug = $1""";
    private static final String VERSION = "select id, saml_version from organization where slug = $1";
    private static final String IDP_CERTIFICATES = """
            select id, certificate, fingerprint, not_after from idp_certificate where org_id = $1 order by created_at""";
    private static final String SP_KEYS = """
            select id, certificate, key_use, private_key, sealed_for_org, not_after, created_at from sp_key
            where org_id = $1 and retired_at is null order by created_at""";
    private static final String SAVE_IDP = """
            insert into saml_connection (org_id, idp_entity_id, idp_redirect_url, idp_post_url, idp_metadata_url)
            values ($1, $2, $3, $4, $5)
            on conflict (org_id) do update set idp_entity_id = excluded.idp_entity_id,
                idp_redirect_url = excluded.idp_redirect_url, idp_post_url = excluded.idp_post_url,
                idp_metadata_url = excluded.idp_metadata_url, updated_at = now()""";
    private static final String FORGET_IDP_CERTIFICATES = "delete from idp_certificate where org_id = $1";
    private static final String ADD_IDP_CERTIFICATE = """
            insert into idp_certificate (id, org_id, certificate, fingerprint, not_after) values ($1, $2, $3, $4, $5)
            on conflict (org_id, fingerprint) do nothing""";
    private static final String SAVE_SETTINGS = """
            insert into saml_connection (org_id, settings) values ($1, $2::text::jsonb)
            on conflict (org_id) do update set settings = excluded.settings, updated_at = now()""";
    private static final String LOCK_ORGANIZATION = "select id from organization where id = $1 for update";
    private static final String COUNT_SP_KEYS = """
            select count(*) as keys from sp_key where org_id = $1 and retired_at is null and key_use in ($2, 'both')""";
    private static final String ADD_SP_KEY = """
            insert into sp_key (id, org_id, certificate, key_use, private_key, sealed_for_org, not_after)
            values ($1, $2, $3, $4, $5, true, $6)""";
    private static final String RETIRE_SP_KEY = """
            update sp_key set retired_at = now() where id = $1 and org_id = $2 and retired_at is null""";

    private final Pool pool;
    private final SpKeySeals seals;
    private final ObjectMapper json;

    public SamlConnectionRepository(Pool pool, SpKeySeals seals, ObjectMapper json) {
        this.pool = pool;
        this.seals = seals;
        this.json = json;
    }

    /** Which organization holds this slug here, and the version of its SAML set-up. */
    public record SetupVersion(UUID orgId, long version) {
    }

    /** The version of the SAML set-up of the organization registered here under this slug, if any. */
    public Uni<Optional<SetupVersion>> version(String slug) {
        return pool.preparedQuery(VERSION).execute(Tuple.of(slug)).map(rows -> rows.size() == 0 ? Optional.empty()
                : Optional.of(new SetupVersion(rows.iterator().next().getUUID("id"),
                        rows.iterator().next().getLong("saml_version"))));
    }

    /**
     * The set-up of the organization registered here under this slug (perhaps not configured yet), if any. The
     * version is read by the first of the three queries: a change committed while the others run makes the copy look
     * older than it is (reloaded once more), never newer.
     */
    public Uni<Optional<SamlConnection>> find(String slug) {
        return pool.preparedQuery(ORGANIZATION).execute(Tuple.of(slug)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(Optional.<SamlConnection>empty());
            }
            Row org = rows.iterator().next();
            UUID orgId = org.getUUID("id");
            return pool.preparedQuery(IDP_CERTIFICATES).execute(Tuple.of(orgId))
                    .chain(certificates -> pool.preparedQuery(SP_KEYS).execute(Tuple.of(orgId))
                            .map(keys -> Optional.of(connection(org, certificates, keys))));
        });
    }

    /** Replaces the trusted IdP and its certificates; run it in a transaction. */
    public Uni<Void> saveIdp(SqlClient transaction, UUID orgId, String entityId, String redirectUrl, String postUrl,
            String metadataUrl, List<X509Certificate> certificates) {
        return transaction.preparedQuery(SAVE_IDP).execute(Tuple.of(orgId, entityId, redirectUrl, postUrl, metadataUrl))
                .chain(() -> transaction.preparedQuery(FORGET_IDP_CERTIFICATES).execute(Tuple.of(orgId)))
                .chain(() -> Multi.createFrom().iterable(certificates).onItem()
                        .transformToUniAndConcatenate(certificate -> transaction.preparedQuery(ADD_IDP_CERTIFICATE)
                                .execute(Tuple.of(UUID.randomUUID(), orgId,
                                        Buffer.buffer(Certificates.der(certificate)),
                                        Certificates.sha256Fingerprint(certificate),
                                        certificate.getNotAfter().toInstant().atOffset(ZoneOffset.UTC))))
                        .collect().last())
                .replaceWithVoid();
    }

    public Uni<Void> saveSettings(UUID orgId, SamlSettings settings) {
        return pool.preparedQuery(SAVE_SETTINGS).execute(Tuple.of(orgId, settings.toJson(json).toString()))
                .replaceWithVoid();
    }

    /** Holds the organization's row until the transaction ends: writers of its SP keys take turns. */
    public Uni<Void> lockOrganization(SqlClient transaction, UUID orgId) {
        return transaction.preparedQuery(LOCK_ORGANIZATION).execute(Tuple.of(orgId)).replaceWithVoid();
    }

    /** Active SP keys that serve this use (legacy keys serve both). */
    public Uni<Long> countActiveSpKeys(SqlClient client, UUID orgId, SpKeyUse use) {
        return client.preparedQuery(COUNT_SP_KEYS).execute(Tuple.of(orgId, use.value()))
                .map(rows -> rows.iterator().next().getLong("keys"));
    }

    public Uni<Void> addSpKey(SqlClient transaction, UUID id, UUID orgId, X509Certificate certificate, SpKeyUse use,
            String sealedPrivateKey) {
        return transaction.preparedQuery(ADD_SP_KEY).execute(Tuple.of(id, orgId,
                Buffer.buffer(Certificates.der(certificate)), use.value(), sealedPrivateKey,
                certificate.getNotAfter().toInstant().atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /** @return whether an active key of the organization was retired */
    public Uni<Boolean> retireSpKey(UUID orgId, UUID id) {
        return pool.preparedQuery(RETIRE_SP_KEY).execute(Tuple.of(id, orgId)).map(rows -> rows.rowCount() > 0);
    }

    private SamlConnection connection(Row org, RowSet<Row> certificates, RowSet<Row> keys) {
        UUID orgId = org.getUUID("id");
        List<SamlConnection.IdpCertificate> idp = new ArrayList<>();
        for (Row row : certificates) {
            X509Certificate certificate = Certificates.parse(row.getBuffer("certificate").getBytes(), "stored");
            idp.add(new SamlConnection.IdpCertificate(row.getUUID("id"), certificate, row.getString("fingerprint"),
                    row.getOffsetDateTime("not_after").toInstant()));
        }
        List<SamlConnection.SpKey> sp = new ArrayList<>();
        for (Row row : keys) {
            UUID id = row.getUUID("id");
            X509Certificate certificate = Certificates.parse(row.getBuffer("certificate").getBytes(), "stored");
            sp.add(new SamlConnection.SpKey(id, certificate, SpKeyUse.stored(row.getString("key_use")),
                    Certificates.sha256Fingerprint(certificate), row.getOffsetDateTime("not_after").toInstant(),
                    row.getOffsetDateTime("created_at").toInstant(), seals.opener(orgId, id,
                            row.getString("private_key"), row.getBoolean("sealed_for_org"))));
        }
        JsonNode stored;
        try {
            String settings = org.getString("settings");
            stored = settings == null ? null : json.readTree(settings);
        } catch (IOException e) {
            throw new IllegalStateException("stored SAML settings are not JSON", e);
        }
        return new SamlConnection(orgId, org.getString("slug"), Region.fromCode(org.getString("region")),
                org.getString("idp_entity_id"), org.getString("idp_redirect_url"), org.getString("idp_post_url"),
                org.getString("idp_metadata_url"), List.copyOf(idp), List.copyOf(sp),
                SamlSettings.merge(json, stored, null), org.getLong("saml_version"));
    }
}
