package dev.keyway.sso.connection;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyway.common.tenant.OrgSlug;
import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.runtime.problem.ApiException;
import dev.keyway.sso.config.SsoConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The SAML set-up of organizations: the IdP they trust (from metadata or pasted by hand), their SP key pairs, and
 * their sign-in settings. The rules and transactions live here; the SQL in {@link SamlConnectionRepository}, the
 * metadata URL fetch in {@link MetadataFetch}, and the sealing of private keys in {@link SpKeySeals}.
 */
@ApplicationScoped
public class SamlConnections {

    private final Pool pool;
    private final SamlConnectionRepository repository;
    private final SpKeySeals seals;
    private final SsoConfig config;
    private final KnownOrganizations known;
    private final MetadataFetch metadataFetch;
    private final ObjectMapper json;
    /**
     * Parsed set-ups by slug (certificates parsed once, SP keys opened only when used), each tagged with the version
     * it is of. Why a version and not a time-to-live: trust material must never be stale, on any replica. Every
     * change of an organization's set-up raises {@code organization.saml_version} in its own transaction (triggers,
     * V8); the ACS compares the cached copy's version in the statement that records the sign-in, and a refusal in
     * the statement that audits it, so a removed or replaced IdP certificate is distrusted at once everywhere, at no
     * extra round trip. Everything else ({@link #load}) reads the version first.
     */
    private final Map<String, SamlConnection> cache = new ConcurrentHashMap<>();

    public SamlConnections(Pool pool, SamlConnectionRepository repository, SpKeySeals seals, SsoConfig config,
            KnownOrganizations known, MetadataFetch metadataFetch, ObjectMapper json) {
        this.pool = pool;
        this.repository = repository;
        this.seals = seals;
        this.config = config;
        this.known = known;
        this.metadataFetch = metadataFetch;
        this.json = json;
    }

    /**
     * The organization's SAML set-up (perhaps not configured yet), current as of this call: one query reads its
     * version, and the cached copy is used only if it is of that version; 421 naming its home for an organization of
     * another region (known from the mirrored registry), 404 for an unknown one.
     */
    public Uni<SamlConnection> load(String slug) {
        if (!validSlug(slug)) {
            // never sent to the database (a NUL there is a 500) nor echoed: no organization can have this name
            return Uni.createFrom().failure(ApiException.notFound("No organization of that name."));
        }
        return repository.version(slug).chain(version -> {
            SamlConnection held = cache.get(slug);
            // the same organization too: a slug deleted and registered again starts counting its versions anew
            if (version.isPresent() && held != null && held.orgId().equals(version.get().orgId())
                    && held.version() == version.get().version()) {
                return Uni.createFrom().item(held);
            }
            return version.isEmpty() ? notHere(slug) : reload(slug);
        });
    }

    /**
     * The cached set-up without asking the database, or {@link #load} when there is none. The caller must confirm
     * {@link SamlConnection#version()} in the statement that acts on it (the ACS does, in the one that records the
     * sign-in) and start again with {@link #load} when it has changed.
     */
    public Uni<SamlConnection> cached(String slug) {
        SamlConnection held = slug == null ? null : cache.get(slug);
        return held != null ? Uni.createFrom().item(held) : load(slug);
    }

    private Uni<SamlConnection> reload(String slug) {
        return repository.find(slug).chain(found -> {
            if (found.isEmpty()) {
                return notHere(slug);
            }
            remember(found.get());
            return Uni.createFrom().item(found.get());
        });
    }

    private Uni<SamlConnection> notHere(String slug) {
        // not registered here: another region's organization (421 naming its home) or nobody's (404)
        return known.homedHere(slug).map(here -> {
            throw ApiException.notFound("No organization '" + slug + "'.");
        });
    }

    private void remember(SamlConnection connection) {
        if (cache.size() >= config.connectionCacheSize() && !cache.containsKey(connection.slug())) {
            // full: make room by dropping any one; it is read again from the database when next needed
            cache.keySet().stream().findAny().ifPresent(cache::remove);
        }
        // a slower reload of an older version never replaces a newer copy
        cache.merge(connection.slug(), connection,
                (held, loaded) -> !loaded.orgId().equals(held.orgId()) || loaded.version() >= held.version()
                        ? loaded
                        : held);
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

    /**
     * Trusts an IdP configured by hand: entity id and one or more certificates, and its SSO URL if known. Without an
     * SSO URL (some vendor guides ask only for JumpCloud's IdP Entity ID and certificate) sign-in starts from the
     * JumpCloud user portal (IdP-initiated) until an SSO URL is given.
     */
    public Uni<SamlConnection> trustManually(String slug, String entityId, String ssoUrl, List<String> certificates) {
        if (entityId == null || entityId.isBlank()) {
            throw ApiException.badRequest("entityId: required (JumpCloud's \"IdP Entity ID\").");
        }
        String sso = ssoUrl == null || ssoUrl.isBlank() ? null
                : IdpUrls.require(ssoUrl, "ssoUrl", config.allowHttpMetadataUrls()).toString();
        if (certificates == null || certificates.isEmpty()) {
            throw ApiException.badRequest("certificates: at least one IdP signing certificate.");
        }
        List<X509Certificate> parsed = new ArrayList<>();
        for (int i = 0; i < certificates.size(); i++) {
            parsed.add(Certificates.parse(certificates.get(i), "certificates[" + i + "]"));
        }
        // a hand-configured JumpCloud app takes the AuthnRequest by Redirect and by POST at the same URL
        return trust(slug, entityId.strip(), sso, sso, null, parsed);
    }

    private Uni<SamlConnection> trust(String slug, String entityId, String redirectUrl, String postUrl,
            String metadataUrl, List<X509Certificate> certificates) {
        return load(slug).chain(existing -> pool.withTransaction(transaction -> repository.saveIdp(transaction,
                existing.orgId(), entityId, redirectUrl, postUrl, metadataUrl, certificates)))
                .chain(() -> load(slug));
    }

    public Uni<SamlSettings> updateSettings(String slug, JsonNode patch) {
        return load(slug).chain(existing -> {
            SamlSettings settings = SamlSettings.merge(json, existing.settings().toJson(json), patch);
            return repository.saveSettings(existing.orgId(), settings).replaceWith(settings);
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
        return pool.withTransaction(transaction -> repository.lockOrganization(transaction, orgId)
                .call(() -> requireRoomFor(transaction, orgId, use))
                .chain(() -> repository.addSpKey(transaction, id, orgId, certificate, use,
                        seals.seal(orgId, id, privateKey))))
                .replaceWith(new SamlConnection.SpKey(id, certificate, use,
                        Certificates.sha256Fingerprint(certificate), certificate.getNotAfter().toInstant(),
                        Instant.now(), () -> privateKey));
    }

    private Uni<Void> requireRoomFor(SqlClient client, UUID orgId, SpKeyUse use) {
        return repository.countActiveSpKeys(client, orgId, use).invoke(keys -> {
            if (keys >= config.maxSpKeysPerUse()) {
                throw new ApiException(Status.CONFLICT, "sp-key-limit", "use: this organization already has "
                        + config.maxSpKeysPerUse() + " active " + use.value() + " keys; retire one first.");
            }
        }).replaceWithVoid();
    }

    public Uni<Void> retireSpKey(String slug, UUID id) {
        return load(slug).chain(existing -> repository.retireSpKey(existing.orgId(), id))
                .invoke(retired -> {
                    if (!retired) {
                        throw ApiException.notFound("No active SP certificate " + id + ".");
                    }
                }).replaceWithVoid();
    }
}
