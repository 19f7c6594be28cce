package dev.keyway.sso.connection;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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
     * The organization's SAML set-up (perhaps not configured yet); 421 naming its home for an organization of another
     * region (known from the mirrored registry), 404 for an unknown one.
     */
    public Uni<SamlConnection> load(String slug) {
        if (!validSlug(slug)) {
            // never sent to the database (a NUL there is a 500) nor echoed: no organization can have this name
            return Uni.createFrom().failure(ApiException.notFound("No organization of that name."));
        }
        return repository.find(slug).chain(found -> found.isPresent() ? Uni.createFrom().item(found.get())
                // not registered here: another region's organization (421 naming its home) or nobody's (404)
                : known.homedHere(slug).map(here -> {
                    throw ApiException.notFound("No organization '" + slug + "'.");
                }));
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
