package dev.keyway.sso.connection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyway.common.crypto.SecretBox;
import dev.keyway.common.organization.KnownOrganizations;
import dev.keyway.common.problem.ApiException;
import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.common.tenant.Region;
import dev.keyway.sso.config.SsoConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SAML set-up of organizations: the IdP they trust (from metadata or pasted by hand), their SP key pairs, and
 * their sign-in settings. Private keys are sealed at rest and opened only here.
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
            select id, certificate, private_key, not_after, created_at from sp_key
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
    private static final String ADD_SP_KEY = """
            insert into sp_key (id, org_id, certificate, private_key, not_after) values ($1, $2, $3, $4, $5)""";
    private static final String RETIRE_SP_KEY = """
            update sp_key set retired_at = now() where id = $1 and org_id = $2 and retired_at is null""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pool pool;
    private final SecretBox secrets;
    private final SsoConfig config;
    private final KnownOrganizations known;
    private final HttpClient http;

    public SamlConnections(Pool pool, SecretBox secrets, SsoConfig config, KnownOrganizations known) {
        this.pool = pool;
        this.secrets = secrets;
        this.config = config;
        this.known = known;
        this.http = HttpClient.newBuilder().connectTimeout(config.metadataFetchTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
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
        IdpMetadata.Descriptor idp = IdpMetadata.parse(xml);
        return trust(slug, idp.entityId(), idp.redirectUrl(), idp.postUrl(), metadataUrl, idp.signingCertificates());
    }

    /** Fetches the IdP's metadata URL (JumpCloud's "Copy Metadata URL") and trusts what it describes. */
    public Uni<SamlConnection> trustMetadataUrl(String slug, String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.badRequest("metadataUrl: not a URL.");
        }
        if (!"https".equals(uri.getScheme()) && !(config.allowHttpMetadataUrls() && "http".equals(uri.getScheme()))) {
            throw ApiException.badRequest("metadataUrl: must be an https:// URL.");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.metadataFetchTimeout())
                .header("Accept", "application/samlmetadata+xml, application/xml, text/xml").GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()))
                .onFailure().transform(e -> ApiException.badRequest("metadataUrl: could not be fetched ("
                        + e.getClass().getSimpleName() + ")."))
                .chain(response -> {
                    if (response.statusCode() != 200) {
                        throw ApiException.badRequest("metadataUrl: answered HTTP " + response.statusCode() + ".");
                    }
                    if (response.body().length > IdpMetadata.MAX_BYTES) {
                        throw ApiException.badRequest("metadataUrl: the document is larger than "
                                + IdpMetadata.MAX_BYTES + " bytes.");
                    }
                    return trustMetadata(slug, new String(response.body(), StandardCharsets.UTF_8), url.strip());
                });
    }

    /** Trusts an IdP configured by hand: entity id, SSO URL and one or more certificates. */
    public Uni<SamlConnection> trustManually(String slug, String entityId, String ssoUrl, List<String> certificates) {
        if (entityId == null || entityId.isBlank()) {
            throw ApiException.badRequest("entityId: required (JumpCloud's \"IdP Entity ID\").");
        }
        URI sso;
        try {
            sso = URI.create(ssoUrl == null ? "" : ssoUrl.strip());
        } catch (IllegalArgumentException e) {
            sso = null;
        }
        if (sso == null || !("https".equals(sso.getScheme()) || "http".equals(sso.getScheme())) || sso.getHost() == null) {
            throw ApiException.badRequest("ssoUrl: required, an http(s) URL (e.g. https://sso.jumpcloud.com/saml2/<app>).");
        }
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

    /** A new SP key pair and certificate; older ones stay valid for decryption until retired. */
    public Uni<SamlConnection.SpKey> generateSpKey(String slug) {
        return load(slug).chain(existing -> {
            SpKeys.KeyPairAndCertificate generated = SpKeys.generate(existing.slug(), config.spCertificateValidity());
            UUID id = UUID.randomUUID();
            X509Certificate certificate = generated.certificate();
            return pool.preparedQuery(ADD_SP_KEY).execute(Tuple.of(id, existing.orgId(),
                            Buffer.buffer(Certificates.der(certificate)),
                            secrets.seal(generated.keys().getPrivate().getEncoded(), sealContext(id)),
                            certificate.getNotAfter().toInstant().atOffset(ZoneOffset.UTC)))
                    .replaceWith(new SamlConnection.SpKey(id, certificate, generated.keys().getPrivate(),
                            Certificates.sha256Fingerprint(certificate), certificate.getNotAfter().toInstant(),
                            java.time.Instant.now()));
        });
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
            sp.add(new SamlConnection.SpKey(id, certificate, privateKey(id, row.getString("private_key")),
                    Certificates.sha256Fingerprint(certificate), row.getOffsetDateTime("not_after").toInstant(),
                    row.getOffsetDateTime("created_at").toInstant()));
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

    private java.security.PrivateKey privateKey(UUID id, String sealed) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                    secrets.open(sealed, sealContext(id))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SP key " + id + " is unreadable", e);
        }
    }

    private static String sealContext(UUID id) {
        return "sp-key:" + id;
    }
}
