package dev.keyway.sso.connection;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.crypto.SecretBox;
import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.runtime.problem.ApiException;
import dev.keyway.sso.config.SsoConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SAML set-up of organizations: the IdP they trust (from metadata or pasted by hand), their SP key pairs, and
 * their sign-in settings. Private keys are sealed at rest, bound to their organization and id, and opened only here,
 * only when something signs or decrypts with them.
 */
@ApplicationScoped
public class SamlConnections {

    private static final String ORGANIZATION = """
            select o.id, o.slug, o.region, c.idp_entity_id, c.idp_redirect_url, c.idp_post_url, c.idp_metadata_url,
                   c.settings::text as settings
            from organization o left join saml_connection c on c.org_id = o.id where o.slug = $1""";
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pool pool;
    private final SecretBox secrets;
    private final SsoConfig config;
    private final KnownOrganizations known;
    private final MetadataFetch metadataFetch;

    public SamlConnections(Pool pool, SecretBox secrets, SsoConfig config, KnownOrganizations known,
            MetadataFetch metadataFetch) {
        this.pool = pool;
        this.secrets = secrets;
        this.config = config;
        this.known = known;
        this.metadataFetch = metadataFetch;
    }

    /**
     * The organization's SAML set-up (perhaps not configured yet); 421 naming its home for an organization of another
     * region (known from the mirrored registry), 404 for an unknown one.
     */
    public Uni<SamlConnection> load(String slug) {
        if (!validSlug(slug)) {
            // never sent to the database (a NUL there is a 500) nor echoed: no organization can have this name
            return Uni.createFrom().failure(ApiException.notFound("No organization of that name."));
        }
        return pool.preparedQuery(ORGANIZATION).execute(Tuple.of(slug)).chain(rows -> {
            if (rows.size() == 0) {
                // not registered here: another region's organization (421 naming its home) or nobody's (404)
                return known.homedHere(slug).map(here -> {
                    throw ApiException.notFound("No organization '" + slug + "'.");
                });
            }
            Row org = rows.iterator().next();
            UUID orgId = org.getUUID("id");
            return pool.preparedQuery(IDP_CERTIFICATES).execute(Tuple.of(orgId))
                    .chain(certificates -> pool.preparedQuery(SP_KEYS).execute(Tuple.of(orgId))
                            .map(keys -> connection(org, certificates, keys)));
        });
    }

    private static boolean validSlug(String slug) {
        try {
            OrgSlug.of(slug);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Trusts the IdP described by this metadata (JumpCloud's exported XML), replacing the previous IdP. */
    public Uni<SamlConnection> trustMetadata(String slug, String xml, String metadataUrl) {
        // parsing up to 256 KiB of XML is CPU work: on a worker, not the event loop
        return Uni.createFrom().item(() -> IdpMetadata.parse(xml, config.allowHttpMetadataUrls()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(idp -> trust(slug, idp.entityId(), idp.redirectUrl(), idp.postUrl(), metadataUrl,
                        idp.signingCertificates()));
    }

    /** Fetches the IdP's metadata URL (JumpCloud's "Copy Metadata URL") and trusts what it describes. */
    public Uni<SamlConnection> trustMetadataUrl(String slug, String url) {
        return metadataFetch.fetch(url).chain(document -> trustMetadata(slug,
                new String(document, StandardCharsets.UTF_8), url.strip()));
    }

    /** Trusts an IdP configured by hand: entity id, SSO URL and one or more certificates. */
    public Uni<SamlConnection> trustManually(String slug, String entityId, String ssoUrl, List<String> certificates) {
        if (entityId == null || entityId.isBlank()) {
            throw ApiException.badRequest("entityId: required (JumpCloud's \"IdP Entity ID\").");
        }
        URI sso = IdpUrls.require(ssoUrl, "ssoUrl", config.allowHttpMetadataUrls());
        if (certificates == null || certificates.isEmpty()) {
            throw ApiException.badRequest("certificates: at least one IdP signing certificate.");
        }
        List<X509Certificate> parsed = new ArrayList<>();
        for (int i = 0; i < certificates.size(); i++) {
            parsed.add(Certificates.parse(certificates.get(i), "certificates[" + i + "]"));
        }
        // a hand-configured JumpCloud app takes the AuthnRequest by Redirect and by POST at the same URL
        return trust(slug, entityId.strip(), sso.toString(), sso.toString(), null, parsed);
    }

    private Uni<SamlConnection> trust(String slug, String entityId, String redirectUrl, String postUrl,
            String metadataUrl, List<X509Certificate> certificates) {
        return load(slug).chain(existing -> pool.withTransaction(transaction -> transaction.preparedQuery(SAVE_IDP)
                .execute(Tuple.of(existing.orgId(), entityId, redirectUrl, postUrl, metadataUrl))
                .chain(() -> transaction.preparedQuery(FORGET_IDP_CERTIFICATES).execute(Tuple.of(existing.orgId())))
                .chain(() -> Multi.createFrom().iterable(certificates).onItem()
                        .transformToUniAndConcatenate(certificate -> transaction.preparedQuery(ADD_IDP_CERTIFICATE)
                                .execute(Tuple.of(UUID.randomUUID(), existing.orgId(),
                                        Buffer.buffer(Certificates.der(certificate)),
                                        Certificates.sha256Fingerprint(certificate),
                                        certificate.getNotAfter().toInstant().atOffset(ZoneOffset.UTC))))
                        .collect().last())))
                .chain(() -> load(slug));
    }

    public Uni<SamlSettings> updateSettings(String slug, JsonNode patch) {
        return load(slug).chain(existing -> {
            SamlSettings settings = SamlSettings.merge(existing.settings().toJson(), patch);
            return pool.preparedQuery(SAVE_SETTINGS).execute(Tuple.of(existing.orgId(), settings.toJson().toString()))
                    .replaceWith(settings);
        });
    }

    /**
     * A new SP key pair and certificate for one use; older keys of that use keep working until retired.
     *
     * @throws ApiException 409 when the organization already holds {@code keyway.sso.max-sp-keys-per-use} active keys
     *                      of that use (nothing is generated or written)
     */
    public Uni<SamlConnection.SpKey> generateSpKey(String slug, SpKeyUse use) {
        // checked before generating (RSA-3072 costs CPU), and again under the organization's lock before writing
        return load(slug).call(existing -> requireRoomFor(pool, existing.orgId(), use))
                .chain(existing -> Uni.createFrom()
                        .item(() -> SpKeys.generate(existing.slug(), config.spCertificateValidity()))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .chain(generated -> save(existing.orgId(), use, generated)));
    }

    private Uni<SamlConnection.SpKey> save(UUID orgId, SpKeyUse use, SpKeys.KeyPairAndCertificate generated) {
        UUID id = UUID.randomUUID();
        X509Certificate certificate = generated.certificate();
        PrivateKey privateKey = generated.keys().getPrivate();
        return pool.withTransaction(transaction -> transaction.preparedQuery(LOCK_ORGANIZATION).execute(Tuple.of(orgId))
                .call(() -> requireRoomFor(transaction, orgId, use))
                .chain(() -> transaction.preparedQuery(ADD_SP_KEY).execute(Tuple.of(id, orgId,
                        Buffer.buffer(Certificates.der(certificate)), use.value(),
                        secrets.seal(privateKey.getEncoded(), sealContext(orgId, id)),
                        certificate.getNotAfter().toInstant().atOffset(ZoneOffset.UTC)))))
                .replaceWith(new SamlConnection.SpKey(id, certificate, use,
                        Certificates.sha256Fingerprint(certificate), certificate.getNotAfter().toInstant(),
                        java.time.Instant.now(), () -> privateKey));
    }

    private Uni<Void> requireRoomFor(SqlClient client, UUID orgId, SpKeyUse use) {
        return client.preparedQuery(COUNT_SP_KEYS).execute(Tuple.of(orgId, use.value())).invoke(rows -> {
            if (rows.iterator().next().getLong("keys") >= config.maxSpKeysPerUse()) {
                throw new ApiException(Status.CONFLICT, "sp-key-limit", "use: this organization already has "
                        + config.maxSpKeysPerUse() + " active " + use.value() + " keys; retire one first.");
            }
        }).replaceWithVoid();
    }

    public Uni<Void> retireSpKey(String slug, UUID id) {
        return load(slug).chain(existing -> pool.preparedQuery(RETIRE_SP_KEY).execute(Tuple.of(id, existing.orgId())))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ApiException.notFound("No active SP certificate " + id + ".");
                    }
                }).replaceWithVoid();
    }

    private SamlConnection connection(Row org, io.vertx.mutiny.sqlclient.RowSet<Row> certificates,
            io.vertx.mutiny.sqlclient.RowSet<Row> keys) {
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
                    row.getOffsetDateTime("created_at").toInstant(), opener(org.getUUID("id"), id,
                            row.getString("private_key"), row.getBoolean("sealed_for_org"))));
        }
        JsonNode stored = null;
        try {
            String settings = org.getString("settings");
            stored = settings == null ? null : JSON.readTree(settings);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored SAML settings are not JSON", e);
        }
        return new SamlConnection(org.getUUID("id"), org.getString("slug"), Region.fromCode(org.getString("region")),
                org.getString("idp_entity_id"), org.getString("idp_redirect_url"), org.getString("idp_post_url"),
                org.getString("idp_metadata_url"), List.copyOf(idp), List.copyOf(sp), SamlSettings.merge(stored, null));
    }

    /** Opens the sealed private key when called: metadata and the admin view never need it. */
    private Supplier<PrivateKey> opener(UUID orgId, UUID id, String sealed, boolean sealedForOrg) {
        String context = sealedForOrg ? sealContext(orgId, id) : legacySealContext(id);
        return () -> {
            try {
                return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                        secrets.open(sealed, context)));
            } catch (GeneralSecurityException | SecretBox.SecretBoxException e) {
                throw new IllegalStateException("SP key " + id + " of organization " + orgId + " does not open here"
                        + " (sealed for another organization or key, or with a key no longer configured)", e);
            }
        };
    }

    /** The sealing context of an SP key: its organization and id, so a key moved to another organization fails. */
    private static String sealContext(UUID orgId, UUID id) {
        return "sp-key:" + orgId + ":" + id;
    }

    /** How keys sealed before V4 were bound (to their id only); read as they are until rotated. */
    private static String legacySealContext(UUID id) {
        return "sp-key:" + id;
    }
}
