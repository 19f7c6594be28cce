package dev.keyway.sso.oidc.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import dev.keyway.runtime.outbound.AddressPolicy;
import dev.keyway.runtime.problem.ApiException;
import dev.keyway.sso.oidc.OidcConfig;
import io.smallrye.mutiny.Uni;

/** Registering apps: the rules on their URIs and keys, the secret generated once. */
@ApplicationScoped
public class Clients {

    /** What the operator asks for; null lists are empty, null {@code allowedOrganizations} means all. */
    public record Registration(String clientId, String name, String tokenEndpointAuthMethod, List<String> redirectUris,
            List<String> postLogoutRedirectUris, Map<String, Object> jwks, String backchannelLogoutUri,
            String initiateLoginUri, List<String> allowedOrganizations) {
    }

    /** A registered client and, when one was generated, its secret (shown this once). */
    public record Registered(OidcClient client, String clientSecret) {
    }

    private final ClientRepository repository;
    private final ObjectMapper json;
    private final AddressPolicy logoutAddresses;

    public Clients(ClientRepository repository, ObjectMapper json, OidcConfig config) {
        this.repository = repository;
        this.json = json;
        this.logoutAddresses = new AddressPolicy(config.logout().allowedRanges().orElse(List.of()));
    }

    public Uni<Registered> register(Registration registration) {
        String clientId = registration.clientId() != null ? registration.clientId() : UUID.randomUUID().toString();
        OidcClient.AuthMethod method = OidcClient.AuthMethod.fromWire(registration.tokenEndpointAuthMethod());
        String secret = method.usesSecret() ? ClientSecrets.generate() : null;
        OidcClient client = client(clientId, registration, method, secret);
        return repository.insert(client).map(inserted -> {
            if (!inserted) {
                throw ApiException.conflict("A client '" + clientId + "' is registered already.");
            }
            return new Registered(client, secret);
        });
    }

    /**
     * Replaces a client's registration. The secret stays unless the client had none (switching from private_key_jwt
     * to a secret), in which case one is generated and returned; switching to private_key_jwt drops it.
     */
    public Uni<Registered> update(String clientId, Registration registration) {
        OidcClient.AuthMethod method = OidcClient.AuthMethod.fromWire(registration.tokenEndpointAuthMethod());
        return get(clientId).chain(existing -> {
            String secret = method.usesSecret() && existing.secretHash() == null ? ClientSecrets.generate() : null;
            OidcClient client = client(clientId, registration, method, secret);
            return repository.update(client).map(updated -> {
                if (!updated) {
                    throw ApiException.notFound("No client '" + clientId + "'.");
                }
                return new Registered(client, secret);
            });
        });
    }

    /** A new secret; the old one stops working at once. */
    public Uni<Registered> rotateSecret(String clientId) {
        return get(clientId).chain(existing -> {
            if (!existing.authMethod().usesSecret()) {
                throw ApiException.conflict("Client '" + clientId + "' authenticates with private_key_jwt.");
            }
            String secret = ClientSecrets.generate();
            OidcClient client = new OidcClient(existing.clientId(), existing.name(), existing.authMethod(),
                    ClientSecrets.hash(secret), existing.jwks(), existing.redirectUris(),
                    existing.postLogoutRedirectUris(), existing.backchannelLogoutUri(), existing.initiateLoginUri(),
                    existing.allowedOrganizations());
            return repository.update(client).replaceWith(new Registered(client, secret));
        });
    }

    public Uni<OidcClient> get(String clientId) {
        return repository.find(clientId)
                .map(found -> found.orElseThrow(() -> ApiException.notFound("No client '" + clientId + "'.")));
    }

    public Uni<List<OidcClient>> list() {
        return repository.list();
    }

    public Uni<Void> delete(String clientId) {
        return repository.delete(clientId).map(deleted -> {
            if (!deleted) {
                throw ApiException.notFound("No client '" + clientId + "'.");
            }
            return null;
        });
    }

    private OidcClient client(String clientId, Registration registration, OidcClient.AuthMethod method,
            String secret) {
        List<String> redirects = registration.redirectUris().stream().map(uri -> uri(uri, "redirectUris")).toList();
        List<String> postLogout = registration.postLogoutRedirectUris() == null ? List.of()
                : registration.postLogoutRedirectUris().stream().map(uri -> uri(uri, "postLogoutRedirectUris"))
                        .toList();
        String jwks = jwks(registration.jwks(), method);
        return new OidcClient(clientId, registration.name().trim(), method,
                secret == null ? null : ClientSecrets.hash(secret), jwks, redirects, postLogout,
                registration.backchannelLogoutUri() == null ? null
                        : backchannelUri(registration.backchannelLogoutUri()),
                registration.initiateLoginUri() == null ? null
                        : uri(registration.initiateLoginUri(), "initiateLoginUri"),
                registration.allowedOrganizations() == null ? null
                        : registration.allowedOrganizations().stream().map(slug -> slug.trim().toLowerCase(Locale.ROOT))
                                .distinct().toList());
    }

    /**
     * Keyway itself POSTs to this URI, so an internal address written into it is refused at once; a name is checked
     * at each delivery ({@code LogoutDelivery}), where what it resolves to is known.
     */
    private String backchannelUri(String value) {
        String checked = uri(value, "backchannelLogoutUri");
        String host = URI.create(checked).getHost();
        if (logoutAddresses.refusesLiteral(host)) {
            throw ApiException.badRequest("backchannelLogoutUri: " + host + " is an internal address Keyway does not "
                    + "deliver to (see keyway.oidc.logout.allowed-ranges).");
        }
        return checked;
    }

    /**
     * An absolute https URI without fragment or user info; http only on a loopback host (an app on the developer's
     * machine, RFC 8252 §7.3). Compared exactly afterwards, so it is stored exactly as given.
     */
    static String uri(String value, String field) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest(field + ": '" + value + "' is not a URI.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
        if (!(scheme.equals("https") || scheme.equals("http") && loopback) || host.isEmpty()) {
            throw ApiException.badRequest(field + ": '" + value + "' must be an absolute https URL (http only on "
                    + "localhost).");
        }
        if (uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw ApiException.badRequest(field + ": '" + value + "' must have neither fragment nor user info.");
        }
        return value;
    }

    /** The client's public keys, required for (and only for) private_key_jwt; private keys are refused. */
    private String jwks(Map<String, Object> jwks, OidcClient.AuthMethod method) {
        if (method != OidcClient.AuthMethod.PRIVATE_KEY_JWT) {
            if (jwks != null) {
                throw ApiException.badRequest("jwks: only for tokenEndpointAuthMethod private_key_jwt.");
            }
            return null;
        }
        if (jwks == null) {
            throw ApiException.badRequest("jwks: required for private_key_jwt.");
        }
        try {
            JWKSet set = JWKSet.parse(jwks);
            if (set.getKeys().isEmpty()) {
                throw ApiException.badRequest("jwks: at least one key is required.");
            }
            for (JWK key : set.getKeys()) {
                if (key.isPrivate()) {
                    throw ApiException.badRequest("jwks: must hold public keys only.");
                }
            }
            return json.writeValueAsString(set.toJSONObject(true));
        } catch (ParseException | JsonProcessingException e) {
            throw ApiException.badRequest("jwks: not a JSON Web Key Set.");
        }
    }
}
