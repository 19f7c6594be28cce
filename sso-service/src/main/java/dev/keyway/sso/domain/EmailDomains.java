package dev.keyway.sso.domain;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.runtime.problem.ApiException;
import dev.keyway.runtime.problem.HttpStatuses;
import dev.keyway.sso.config.SsoConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

/**
 * The e-mail domains organizations claim, and their proof: a claim gets a random token to publish as a DNS TXT
 * record; checking finds it (then the domain is verified) or says why not. A domain is verified for one organization
 * at most (a unique index on verified domains decides races).
 */
@ApplicationScoped
public class EmailDomains {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A claim, and whether this request made it (or it existed already). */
    public record Claimed(EmailDomain domain, boolean created) {
    }

    private final EmailDomainRepository repository;
    private final KnownOrganizations known;
    private final TxtRecords txt;
    private final SsoConfig config;

    public EmailDomains(EmailDomainRepository repository, KnownOrganizations known, TxtRecords txt,
            SsoConfig config) {
        this.repository = repository;
        this.known = known;
        this.txt = txt;
        this.config = config;
    }

    public Uni<List<EmailDomain>> list(String slug) {
        return orgId(slug).chain(repository::list);
    }

    public Uni<EmailDomain> get(String slug, String domain) {
        String name = DomainName.parse(domain);
        return orgId(slug).chain(org -> find(org, name));
    }

    /** Claims a domain (unverified); claiming it again returns the existing claim and its token. */
    public Uni<Claimed> claim(String slug, String domain) {
        String name = DomainName.parse(domain);
        return orgId(slug).chain(org -> repository.claim(org, name, newToken(), config.maxEmailDomains())
                .chain(created -> created.isPresent() ? Uni.createFrom().item(new Claimed(created.get(), true))
                        : repository.find(org, name).map(existing -> new Claimed(existing.orElseThrow(
                                () -> new ApiException(Response.Status.CONFLICT, "too-many-domains", "This "
                                        + "organization claims " + config.maxEmailDomains() + " domains, the most "
                                        + "allowed; delete one first.")),
                                false))));
    }

    /** Looks the TXT record up now; verified if it holds the claim's value, 422 saying what DNS holds otherwise. */
    public Uni<EmailDomain> verify(String slug, String domain) {
        String name = DomainName.parse(domain);
        return orgId(slug).chain(org -> find(org, name).chain(claim -> txt.at(claim.challengeName())
                .onFailure(TxtRecords.Unavailable.class).call(failure -> notVerified(org, claim, failure.getMessage()
                        + " for " + claim.challengeName() + "."))
                .onFailure(TxtRecords.Unavailable.class).transform(failure -> new ApiException(
                        Response.Status.BAD_GATEWAY, "dns-unavailable", failure.getMessage() + " for "
                                + claim.challengeName() + "; try again later."))
                .chain(values -> {
                    if (values.contains(claim.challengeValue())) {
                        return repository.markVerified(org, name)
                                .onFailure(EmailDomains::isUniqueViolation).transform(e -> new ApiException(
                                        Response.Status.CONFLICT, "domain-verified-elsewhere", "Another organization "
                                                + "has verified " + name + "; a domain counts for one organization."));
                    }
                    ApiException refusal = values.isEmpty()
                            ? new ApiException(HttpStatuses.UNPROCESSABLE, "txt-record-missing", "No TXT record at "
                                    + claim.challengeName() + ". Publish one holding " + claim.challengeValue()
                                    + ", then verify again (DNS changes can take a while to appear).")
                            : new ApiException(HttpStatuses.UNPROCESSABLE, "txt-record-mismatch", "The TXT records at "
                                    + claim.challengeName() + " do not hold " + claim.challengeValue()
                                    + ". Publish it exactly, then verify again.");
                    return notVerified(org, claim, refusal.getMessage())
                            .chain(() -> Uni.createFrom().<EmailDomain>failure(refusal));
                })));
    }

    /** Gives a domain up: it no longer counts for this organization (and another may verify it). */
    public Uni<Void> release(String slug, String domain) {
        String name = DomainName.parse(domain);
        return orgId(slug).chain(org -> repository.release(org, name)).invoke(released -> {
            if (!released) {
                throw notClaimed(name);
            }
        }).replaceWithVoid();
    }

    private Uni<EmailDomain> find(UUID org, String name) {
        return repository.find(org, name).map(found -> found.orElseThrow(() -> notClaimed(name)));
    }

    private Uni<Void> notVerified(UUID org, EmailDomain claim, String why) {
        return repository.markNotVerified(org, claim.domain(), why);
    }

    /** This region's organization; 421 naming its home for another region's, 404 for an unknown one. */
    private Uni<UUID> orgId(String slug) {
        return repository.organizationId(slug).chain(found -> found.isPresent()
                ? Uni.createFrom().item(found.get())
                : known.homedHere(slug).map(here -> {
                    throw ApiException.notFound("No organization '" + slug + "'.");
                }));
    }

    private static ApiException notClaimed(String name) {
        return ApiException.notFound("This organization does not claim " + name + ".");
    }

    /** 256 random bits, URL-safe: unguessable, so only who controls the domain's DNS can publish it. */
    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean isUniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
