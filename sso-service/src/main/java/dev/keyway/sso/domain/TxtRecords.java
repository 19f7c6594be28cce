package dev.keyway.sso.domain;

import java.net.URI;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.sso.config.SsoConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.dns.DnsClientOptions;
import io.vertx.core.dns.DnsException;
import io.vertx.core.dns.DnsResponseCode;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.dns.DnsClient;

/**
 * TXT records, looked up through Vert.x's asynchronous DNS client: at {@code keyway.sso.dns.server} when set (a
 * test DNS server, or a resolver the operator chose), else at the system's resolver.
 */
@ApplicationScoped
@Startup
public class TxtRecords {

    /** DNS gave no usable answer (timeout, SERVFAIL, REFUSED …): nothing can be concluded about the record. */
    public static final class Unavailable extends RuntimeException {

        Unavailable(String message) {
            super(message);
        }
    }

    private final DnsClient dns;

    public TxtRecords(Vertx vertx, SsoConfig config) {
        DnsClientOptions options = new DnsClientOptions().setQueryTimeout(config.dns().queryTimeout().toMillis());
        config.dns().server().ifPresent(server -> {
            URI address = address(server);
            options.setHost(address.getHost().replaceAll("^\\[|\\]$", ""))
                    .setPort(address.getPort() < 0 ? 53 : address.getPort());
        });
        this.dns = vertx.createDnsClient(options);
    }

    /** The TXT strings at {@code name}; empty when the name or its TXT records do not exist. */
    public Uni<List<String>> at(String name) {
        return dns.resolveTXT(name)
                .onFailure(TxtRecords::noSuchName).recoverWithItem(List.of())
                .onFailure(failure -> !(failure instanceof Unavailable)).transform(failure -> new Unavailable(
                        failure instanceof DnsException dnsFailure ? "DNS answered " + dnsFailure.code()
                                : "DNS did not answer in time"));
    }

    private static boolean noSuchName(Throwable failure) {
        return failure instanceof DnsException dnsFailure && dnsFailure.code() == DnsResponseCode.NXDOMAIN;
    }

    private static URI address(String server) {
        try {
            URI address = URI.create("dns://" + server.strip());
            if (address.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return address;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "keyway.sso.dns.server: host:port of a DNS server, not '" + server + "'");
        }
    }
}
