package dev.keyway.sso.eligibility;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.sso.domain.DomainName;
import dev.keyway.sso.eligibility.LoginDiscoveryRepository.VerifiedOrganization;
import io.smallrye.mutiny.Uni;

/**
 * Home-realm discovery: the organization that signs an e-mail address in, judged by the address's domain alone and
 * only from a domain an organization verified (DNS), so it neither tells whether the address belongs to a user nor
 * lets an organization draw in another's users by claiming their domain.
 */
@ApplicationScoped
public class LoginDiscovery {

    private final LoginDiscoveryRepository repository;

    public LoginDiscovery(LoginDiscoveryRepository repository) {
        this.repository = repository;
    }

    /**
     * @param address a lower-cased e-mail address with a local part and a domain
     * @return the organization that verified its domain, if any (at most one)
     */
    public Uni<List<VerifiedOrganization>> organizationsFor(String address) {
        Optional<String> domain = DomainName.normalize(address.substring(address.lastIndexOf('@') + 1));
        return domain.isEmpty() ? Uni.createFrom().item(List.of()) : repository.byVerifiedDomain(domain.get());
    }
}
