package dev.keyway.scim.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.auth.Roles;
import dev.keyway.runtime.deployment.Deployment;
import dev.keyway.runtime.problem.HttpStatuses;
import dev.keyway.scim.protocol.ScimException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Authenticates a SCIM bearer token, which names the organization: the caller gets the {@link Roles#SCIM_CLIENT}
 * role and the organization as the {@link ScimCaller#TENANT} attribute. Only hashes are stored; the found hash and
 * API key are compared again in constant time. A token of another region is answered 421 with that region's base
 * URL; an unknown, revoked or mismatched one fails authentication (401). Active tokens are remembered
 * ({@link ScimTokenCache}), and forgotten by every replica as soon as one is revoked.
 */
@ApplicationScoped
public class ScimTokenIdentityProvider implements IdentityProvider<ScimTokenRequest> {

    private static final Logger LOG = Logger.getLogger(ScimTokenIdentityProvider.class);

    private final ScimTokenRepository tokens;
    private final ScimTokenCache cache;
    private final Deployment deployment;
    /** When this replica last stamped each token as used; spares a statement per request. */
    private final Map<UUID, Long> lastTouched = new ConcurrentHashMap<>();

    public ScimTokenIdentityProvider(ScimTokenRepository tokens, ScimTokenCache cache, Deployment deployment) {
        this.tokens = tokens;
        this.cache = cache;
        this.deployment = deployment;
    }

    @Override
    public Class<ScimTokenRequest> getRequestType() {
        return ScimTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ScimTokenRequest request, AuthenticationRequestContext context) {
        Optional<Region> issuedIn = TokenCodec.regionOf(request.token());
        if (issuedIn.isPresent() && issuedIn.get() != deployment.region()) {
            return Uni.createFrom().failure(misdirected(issuedIn.get()));
        }
        byte[] hash = TokenCodec.hash(request.token());
        return cache.presented(hash).map(found -> {
            ScimTokenRepository.Presented token = found.orElse(null);
            if (token == null || !MessageDigest.isEqual(hash, token.tokenHash())
                    || !apiKeyMatches(request, token.apiKey())) {
                throw new AuthenticationFailedException(
                        "The token is not valid: unknown, revoked, or not this organization's.");
            }
            Region home = token.region();
            if (home != deployment.region()) {
                throw misdirected(home);
            }
            touch(token.id());
            ScimCaller.Tenant tenant = new ScimCaller.Tenant(token.orgId(), token.slug(), home, token.groupsEnabled());
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal("scim:" + tenant.slug()))
                    .addRole(Roles.SCIM_CLIENT)
                    .addAttribute(ScimCaller.TENANT, tenant)
                    .addAttribute(ScimCaller.TOKEN_ID, token.id())
                    .build();
        });
    }

    private void touch(UUID tokenId) {
        long now = System.currentTimeMillis();
        Long previous = lastTouched.put(tokenId, now);
        if (previous == null || now - previous > 60_000) {
            tokens.touch(tokenId).subscribe().with(done -> {
            }, failure -> LOG.debugf("last-used time not recorded: %s", failure.getMessage()));
        }
    }

    private static boolean apiKeyMatches(ScimTokenRequest request, String apiKey) {
        return request.apiKey() == null || apiKey != null && MessageDigest.isEqual(
                request.apiKey().getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8));
    }

    private ScimException misdirected(Region home) {
        return new ScimException(HttpStatuses.MISDIRECTED, null, "This organization is homed in region '"
                + home + "'" + deployment.urlOf(home).map(url -> "; its SCIM base URL is " + url + "/scim/v2")
                        .orElse("")
                + ".");
    }
}
