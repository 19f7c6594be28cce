package dev.keyway.runtime.outbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Which addresses a request to a URL someone registered (an IdP's metadata URL, an app's back-channel logout URI, a
 * push receiver) may connect to: public ones, and the ranges the operator allows. The URL is typed by an admin, so
 * without this it would reach our own network (loopback, RFC 1918, the cloud metadata service).
 * <p>
 * {@link #check(URI)} resolves the host and checks every address; the caller connects to the address it returns,
 * never re-resolving the name, so DNS rebinding between the check and the connection cannot happen.
 */
public final class AddressPolicy {

    /** Resolves a host name to its addresses (blocking). */
    public interface Resolver {

        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** A URL whose host is, or resolves to, an address the policy refuses; the message names the address. */
    public static final class Refused extends RuntimeException {

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Never public: loopback, private, link-local, CGNAT, unspecified, multicast, reserved, metadata services. */
    private static final List<IpSubnetFilterRule> NOT_PUBLIC = ranges(List.of(
            "0.0.0.0/8", // "this network", including the unspecified 0.0.0.0
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", // RFC 1918
            "100.64.0.0/10", // carrier-grade NAT (RFC 6598); Alibaba Cloud's metadata service 100.100.100.200
            "127.0.0.0/8", // loopback
            "169.254.0.0/16", // link-local; the cloud metadata service 169.254.169.254
            "192.0.0.0/24", // IETF protocol assignments
            "198.18.0.0/15", // benchmarking
            "224.0.0.0/4", // multicast
            "240.0.0.0/4", // reserved, and the broadcast address
            "::/96", // unspecified ::, loopback ::1, IPv4-compatible (deprecated)
            "100::/64", // discard-only
            "fc00::/7", // unique local; the AWS metadata service fd00:ec2::254
            "fe80::/10", // link-local
            "fec0::/10", // site-local (deprecated)
            "ff00::/8")); // multicast

    private final List<IpSubnetFilterRule> allowed;
    private final Resolver resolver;

    /** @param allowedRanges CIDR ranges the operator allows although they are not public (e.g. 127.0.0.0/8 in tests) */
    public AddressPolicy(List<String> allowedRanges) {
        this(allowedRanges, host -> List.of(InetAddress.getAllByName(host)));
    }

    /** @param resolver how host names are resolved (the system's resolver, or a test's) */
    public AddressPolicy(List<String> allowedRanges, Resolver resolver) {
        this.allowed = ranges(allowedRanges);
        this.resolver = resolver;
    }

    /**
     * The checked address to connect to for {@code url}: its host resolved (on a worker thread, never on the event
     * loop) and every address it resolves to permitted, the port the URL's or its scheme's.
     *
     * @return fails with {@link Refused} naming the refused address, or with {@link UnknownHostException}
     */
    public Uni<InetSocketAddress> check(URI url) {
        return Uni.createFrom().<InetSocketAddress>emitter(emitter -> {
            try {
                emitter.complete(checkNow(url));
            } catch (UnknownHostException | Refused e) {
                emitter.fail(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** {@link #check(URI)} on the calling thread, which it blocks while the name is resolved. */
    public InetSocketAddress checkNow(URI url) throws UnknownHostException {
        String host = url.getHost();
        if (host == null) {
            throw new UnknownHostException("no host in the URL");
        }
        List<InetAddress> resolved = resolver.resolve(host);
        if (resolved == null || resolved.isEmpty()) {
            throw new UnknownHostException(host);
        }
        // every address, not just the first: a name with one public and one private address is refused
        for (InetAddress address : resolved) {
            if (!permits(address)) {
                throw new Refused("address " + address.getHostAddress() + " of " + host + " is not allowed "
                        + "(loopback, private, link-local or another internal range, not in the allowed ranges)");
            }
        }
        int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return new InetSocketAddress(resolved.get(0), port);
    }

    /**
     * Whether a host as written in a URL is an IP address the policy refuses (a name is not judged here: what it
     * resolves to can change, so names are checked at each connection).
     */
    public boolean refusesLiteral(String host) {
        byte[] address = host == null ? null : NetUtil.createByteArrayFromIpAddressString(host);
        try {
            return address != null && !permits(InetAddress.getByAddress(address));
        } catch (UnknownHostException e) {
            return false; // not an address of a valid length, so not an address literal
        }
    }

    public boolean permits(InetAddress address) {
        // an IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4) is judged by the IPv4 address too
        InetAddress carried = carriedIpv4(address).orElse(address);
        if (matches(allowed, address) || matches(allowed, carried)) {
            return true;
        }
        return !matches(NOT_PUBLIC, address) && !matches(NOT_PUBLIC, carried);
    }

    private static boolean matches(List<IpSubnetFilterRule> ranges, InetAddress address) {
        InetSocketAddress socket = new InetSocketAddress(address, 0);
        return ranges.stream().anyMatch(range -> range.matches(socket));
    }

    private static Optional<InetAddress> carriedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        boolean zeroTo10 = Arrays.equals(b, 0, 10, new byte[10], 0, 10);
        boolean mapped = zeroTo10 && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b
                && Arrays.equals(b, 4, 12, new byte[8], 0, 8);
        boolean sixToFour = b[0] == 0x20 && b[1] == 0x02;
        try {
            if (mapped || nat64) {
                return Optional.of(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
            }
            if (sixToFour) {
                return Optional.of(InetAddress.getByAddress(Arrays.copyOfRange(b, 2, 6)));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an IPv4 address
        }
        return Optional.empty();
    }

    private static List<IpSubnetFilterRule> ranges(List<String> cidrs) {
        return cidrs.stream().map(String::strip).filter(cidr -> !cidr.isEmpty()).map(AddressPolicy::range).toList();
    }

    private static IpSubnetFilterRule range(String cidr) {
        String[] parts = cidr.split("/", 2);
        // a literal address only: a name here would be resolved once, at startup, and trusted forever
        byte[] address = NetUtil.createByteArrayFromIpAddressString(parts[0]);
        int maxPrefix = address == null ? 0 : address.length * 8;
        int prefix;
        try {
            prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : maxPrefix;
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (address == null || prefix < 0 || prefix > maxPrefix) {
            throw new IllegalArgumentException("'" + cidr + "' is not a CIDR range such as 10.20.0.0/16 or fd12::/48");
        }
        try {
            return new IpSubnetFilterRule(InetAddress.getByAddress(address), prefix, IpFilterRuleType.ACCEPT);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + cidr + "' is not a CIDR range", e);
        }
    }
}
