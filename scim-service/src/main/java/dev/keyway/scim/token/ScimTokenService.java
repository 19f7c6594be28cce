package dev.keyway.scim.token;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.tenant.Region;
import dev.keyway.runtime.organization.KnownOrganization;
import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.runtime.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Issues, lists and revokes SCIM tokens. Several may be valid at once, which is how tokens are rotated. */
@ApplicationScoped
public class ScimTokenService {

    /** A token as issued: the only moment its secret exists outside the client. */
    public record IssuedToken(UUID id, String token, String apiKey, Instant createdAt) {
    }

    private static final String ENSURE_API_KEY = """
            insert into scim_api_key (org_id, api_key) values (?1, ?2) on conflict (org_id) do nothing""";
    private static final String API_KEY = "select api_key from scim_api_key where org_id = ?1";

    private final KnownOrganizations organizations;

    public ScimTokenService(KnownOrganizations organizations) {
        this.organizations = organizations;
    }

    public Uni<IssuedToken> issue(String slug) {
        return organizations.homedHere(slug).chain(org -> Panache.withTransaction(() -> {
            String secret = TokenCodec.newToken(org.homeRegion());
            ScimToken token = new ScimToken();
            token.id = UUID.randomUUID();
            token.orgId = org.id;
            token.tokenHash = TokenCodec.hash(secret);
            token.hint = TokenCodec.hint(secret);
            token.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            return token.persist()
                    .chain(() -> apiKey(org.id, org.homeRegion()))
                    .map(apiKey -> new IssuedToken(token.id, secret, apiKey, token.createdAt));
        }));
    }

    public Uni<List<ScimToken>> list(String slug) {
        return organizations.homedHere(slug).chain(org -> Panache.withSession(() -> ScimToken
                .<ScimToken>list("orgId = ?1 and revokedAt is null order by createdAt", org.id)));
    }

    public Uni<String> apiKey(String slug) {
        return organizations.homedHere(slug)
                .chain(org -> Panache.withTransaction(() -> apiKey(org.id, org.homeRegion())));
    }

    public Uni<Void> revoke(String slug, UUID id) {
        return organizations.homedHere(slug).chain((KnownOrganization org) -> Panache.withTransaction(() -> ScimToken
                .update("revokedAt = ?1 where id = ?2 and orgId = ?3 and revokedAt is null", Instant.now(), id, org.id)
                .invoke(revoked -> {
                    if (revoked == 0) {
                        throw ApiException.notFound("No active SCIM token " + id + ".");
                    }
                }))).replaceWithVoid();
    }

    private Uni<String> apiKey(UUID orgId, Region region) {
        return Panache.getSession().chain(session -> session.createNativeQuery(ENSURE_API_KEY)
                .setParameter(1, orgId).setParameter(2, TokenCodec.newApiKey(region)).executeUpdate()
                .chain(() -> session.createNativeQuery(API_KEY, String.class).setParameter(1, orgId)
                        .getSingleResult()));
    }
}
