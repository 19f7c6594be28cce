package dev.keyway.sso.oidc.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import dev.keyway.sso.oidc.OAuthError;
import dev.keyway.sso.oidc.OidcIssuer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Who is calling the token endpoint: the client authenticates the way it registered, and only that way
 * (client_secret_basic, client_secret_post, or private_key_jwt verified against its own JWKS). Every failure is the
 * same {@code invalid_client}, so a caller learns nothing about which part was wrong.
 */
@ApplicationScoped
public class ClientAuthentication {

    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** Asymmetric signatures only: none and HMAC (a public key used as a shared secret) never verify. */
    private static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(5);
    private static final Set<JWSAlgorithm> ASSERTION_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    /** What the request offers as credentials. */
    public record Credentials(String authorization, String clientId, String clientSecret, String assertionType,
            String assertion) {
    }

    private final ClientRepository clients;
    private final OidcIssuer issuer;

    public ClientAuthentication(ClientRepository clients, OidcIssuer issuer) {
        this.clients = clients;
        this.issuer = issuer;
    }

    public Uni<OidcClient> authenticate(Credentials credentials) {
        if (credentials.authorization() != null && credentials.authorization().regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] basic = basic(credentials.authorization().substring(6).trim());
            return secret(basic[0], basic[1], OidcClient.AuthMethod.CLIENT_SECRET_BASIC);
        }
        if (credentials.assertion() != null) {
            if (!JWT_BEARER.equals(credentials.assertionType())) {
                throw new OAuthError(OAuthError.INVALID_CLIENT, "Unsupported client_assertion_type.");
            }
            return assertion(credentials.assertion(), credentials.clientId());
        }
        if (credentials.clientSecret() != null) {
            return secret(credentials.clientId(), credentials.clientSecret(), OidcClient.AuthMethod.CLIENT_SECRET_POST);
        }
        throw new OAuthError(OAuthError.INVALID_CLIENT, "Client authentication is required.");
    }

    private Uni<OidcClient> secret(String clientId, String secret, OidcClient.AuthMethod used) {
        if (clientId == null || clientId.isEmpty()) {
            throw failed();
        }
        return clients.find(clientId).map(found -> {
            OidcClient client = found.orElseThrow(ClientAuthentication::failed);
            if (client.authMethod() != used || !ClientSecrets.matches(client.secretHash(), secret)) {
                throw failed();
            }
            return client;
        });
    }

    /** RFC 7523: iss = sub = client_id, aud = this token endpoint (or the issuer), unexpired, signed by its key. */
    private Uni<OidcClient> assertion(String assertion, String claimedClientId) {
        String subject;
        try {
            subject = JWTParser.parse(assertion).getJWTClaimsSet().getSubject();
        } catch (ParseException e) {
            throw failed();
        }
        if (subject == null || claimedClientId != null && !claimedClientId.equals(subject)) {
            throw failed();
        }
        return clients.find(subject).chain(found -> {
            OidcClient client = found.orElseThrow(ClientAuthentication::failed);
            if (client.authMethod() != OidcClient.AuthMethod.PRIVATE_KEY_JWT || client.jwks() == null) {
                throw failed();
            }
            // signature checks are CPU work: on a worker, not the event loop
            return Uni.createFrom().item(() -> verify(assertion, client))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    // RFC 7523 §3: an assertion is used once; one copied from a log or a proxy is refused
                    // remembered as long as the verifier would take it: its expiry plus the clock skew it allows
                    .chain(claims -> clients.firstAssertionUse(client.clientId(), claims.getJWTID(),
                            claims.getExpirationTime().toInstant().plusSeconds(
                                    DefaultJWTClaimsVerifier.DEFAULT_MAX_CLOCK_SKEW_SECONDS)))
                    .map(first -> {
                        if (!first) {
                            throw failed();
                        }
                        return client;
                    });
        });
    }

    private JWTClaimsSet verify(String assertion, OidcClient client) {
        try {
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ASSERTION_ALGORITHMS,
                    new ImmutableJWKSet<>(JWKSet.parse(client.jwks()))));
            Set<String> audiences = new HashSet<>(Set.of(issuer.endpoint("/token"), issuer.url()));
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audiences,
                    new JWTClaimsSet.Builder().issuer(client.clientId()).subject(client.clientId()).build(),
                    Set.of("exp", "iss", "sub", "aud", "jti"), null));
            JWTClaimsSet claims = processor.process(assertion, null);
            // short-lived, so the used jtis to remember are few
            if (claims.getExpirationTime().toInstant().isAfter(Instant.now().plus(MAX_ASSERTION_LIFETIME))) {
                throw failed();
            }
            return claims;
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw failed();
        }
    }

    /** RFC 6749 §2.3.1: both halves form-urlencoded before Base64. */
    private static String[] basic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw failed();
            }
            return new String[]{ URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8) };
        } catch (IllegalArgumentException e) {
            throw failed();
        }
    }

    private static OAuthError failed() {
        return new OAuthError(OAuthError.INVALID_CLIENT, "Client authentication failed.");
    }
}
