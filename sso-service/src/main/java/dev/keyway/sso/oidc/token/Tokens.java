package dev.keyway.sso.oidc.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.keyway.sso.oidc.OAuthError;
import dev.keyway.sso.oidc.OidcConfig;
import dev.keyway.sso.oidc.authorization.AuthorizationRepository;
import dev.keyway.sso.oidc.client.ClientSecrets;
import dev.keyway.sso.oidc.client.OidcClient;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The token endpoint's rules. A code is used once (a second use revokes what the first obtained, RFC 6749 §4.1.2),
 * within its short life, by the client it was issued to, with the same redirect URI and the PKCE verifier of its
 * challenge, and only while the user is active and the session unrevoked. Refresh tokens are replaced at each use
 * and stop working the moment the user is deactivated or deleted.
 */
@ApplicationScoped
public class Tokens {

    private static final Logger LOG = Logger.getLogger(Tokens.class);

    /** RFC 7636 §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The token response (OpenID Connect Core 3.1.3.3). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenResponse(@JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType, @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("refresh_token") String refreshToken, @JsonProperty("id_token") String idToken,
            String scope) {
    }

    private final AuthorizationRepository codes;
    private final TokenRepository repository;
    private final IdTokens idTokens;
    private final OidcConfig config;

    public Tokens(AuthorizationRepository codes, TokenRepository repository, IdTokens idTokens, OidcConfig config) {
        this.codes = codes;
        this.repository = repository;
        this.idTokens = idTokens;
        this.config = config;
    }

    public Uni<TokenResponse> exchangeCode(OidcClient client, String code, String redirectUri, String verifier) {
        if (code == null || redirectUri == null) {
            throw new OAuthError(OAuthError.INVALID_REQUEST, "code and redirect_uri are required.");
        }
        if (verifier == null) {
            throw new OAuthError(OAuthError.INVALID_REQUEST, "code_verifier is required (PKCE).");
        }
        byte[] codeHash = ClientSecrets.hash(code);
        return codes.useCode(codeHash, client.clientId()).chain(found -> {
            AuthorizationRepository.Code issued = found.orElseThrow(() -> invalidGrant("Unknown code."));
            if (!issued.clientId().equals(client.clientId())) {
                throw invalidGrant("The code was issued to another client.");
            }
            if (!issued.firstUse()) {
                LOG.infof("Authorization code replayed by client %s: revoking what it obtained", client.clientId());
                Uni<Void> revoke = issued.grantId() == null ? Uni.createFrom().voidItem()
                        : repository.revokeGrant(issued.grantId());
                return revoke.chain(() -> Uni.createFrom().failure(invalidGrant("The code was used already.")));
            }
            if (!issued.expiresAt().isAfter(Instant.now())) {
                throw invalidGrant("The code has expired.");
            }
            if (!issued.redirectUri().equals(redirectUri)) {
                throw invalidGrant("redirect_uri differs from the authorization request's.");
            }
            if (!VERIFIER.matcher(verifier).matches()
                    || !MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII),
                            issued.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
                throw invalidGrant("code_verifier does not match the code_challenge.");
            }
            return repository.canSignIn(issued.userId(), issued.sessionId()).chain(allowed -> {
                if (!allowed) {
                    throw invalidGrant("The user may no longer sign in.");
                }
                TokenRepository.Grant grant = new TokenRepository.Grant(UUID.randomUUID(), client.clientId(),
                        issued.orgId(), issued.userId(), issued.sessionId(), issued.scope(), issued.claims(),
                        issued.authTime());
                String access = random();
                String refresh = random();
                return repository.pool().withTransaction(transaction -> repository
                        .insertGrant(transaction, grant, codeHash)
                        .chain(() -> tokens(transaction, grant, access, refresh)))
                        .chain(() -> idTokens.issue(grant, issued.nonce(), access))
                        .map(idToken -> response(access, refresh, idToken, grant.scope()));
            });
        });
    }

    public Uni<TokenResponse> refresh(OidcClient client, String refreshToken) {
        if (refreshToken == null) {
            throw new OAuthError(OAuthError.INVALID_REQUEST, "refresh_token is required.");
        }
        String access = random();
        String refresh = random();
        byte[] hash = ClientSecrets.hash(refreshToken);
        // a refresh token is good once: one presented again (or by another client) was stolen or leaked, so its
        // grant ends, for the thief and the app alike (OAuth 2.0 Security BCP, refresh token rotation)
        return repository.pool().withTransaction(transaction -> repository.useRefreshToken(transaction, hash)
                .chain(found -> found.isPresent() && found.get().clientId().equals(client.clientId())
                        ? tokens(transaction, found.get(), access, refresh).replaceWith(found)
                        : repository.revokeGrantOf(transaction, hash).replaceWith(found.filter(none -> false))))
                .map(found -> found.orElseThrow(() -> invalidGrant("The refresh token is not valid.")))
                .chain(grant -> idTokens.issue(grant, null, access)
                        .map(idToken -> response(access, refresh, idToken, grant.scope())));
    }

    /** Refresh tokens end with the grant's absolute life: the refresh-token lifetime counted from the sign-in. */
    private Uni<Void> tokens(SqlConnection transaction, TokenRepository.Grant grant, String access,
            String refresh) {
        Instant now = Instant.now();
        Instant grantEnds = grant.authTime().plus(config.refreshTokenLifetime());
        Instant refreshEnds = now.plus(config.refreshTokenLifetime());
        return repository.insertToken(transaction, ClientSecrets.hash(access), grant.id(), "access",
                now.plus(config.accessTokenLifetime()))
                .chain(() -> repository.insertToken(transaction, ClientSecrets.hash(refresh), grant.id(), "refresh",
                        refreshEnds.isBefore(grantEnds) ? refreshEnds : grantEnds));
    }

    private TokenResponse response(String access, String refresh, String idToken, String scope) {
        return new TokenResponse(access, "Bearer", config.accessTokenLifetime().toSeconds(), refresh, idToken, scope);
    }

    /** BASE64URL(SHA-256(ASCII(verifier))), RFC 7636 §4.2. */
    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static OAuthError invalidGrant(String description) {
        return new OAuthError(OAuthError.INVALID_GRANT, description);
    }
}
