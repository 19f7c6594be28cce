package dev.keyway.runtime.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Addresses a registered URL may never reach unless the operator allows them, and the public ones it may. */
class AddressPolicyTest {

    private final AddressPolicy nothingAllowed = new AddressPolicy(List.of());

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.1", "127.0.0.2", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255",
            "192.168.1.1", "100.64.0.1", "100.100.100.200", "169.254.169.254", "169.254.1.1", "224.0.0.1",
            "255.255.255.255", "192.0.0.192", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1",
            "::ffff:10.0.0.1", "::ffff:127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "::127.0.0.1" })
    void internalAndMetadataServiceAddressesAreRefused(String address) throws UnknownHostException {
        assertFalse(nothingAllowed.permits(InetAddress.getByName(address)), address);
    }

    @ParameterizedTest
    @ValueSource(strings = { "8.8.8.8", "104.18.0.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111",
            "64:ff9b::808:808" })
    void publicAddressesArePermitted(String address) throws UnknownHostException {
        assertTrue(nothingAllowed.permits(InetAddress.getByName(address)), address);
    }

    @Test
    void theOperatorsRangesAreAllowedAndNothingBeyondThem() throws UnknownHostException {
        AddressPolicy loopbackOne = new AddressPolicy(List.of("127.0.0.1/32", " fd12:3456::/32 "));
        assertTrue(loopbackOne.permits(InetAddress.getByName("127.0.0.1")));
        assertFalse(loopbackOne.permits(InetAddress.getByName("127.0.0.2")));
        assertTrue(loopbackOne.permits(InetAddress.getByName("fd12:3456::9")));
        assertFalse(loopbackOne.permits(InetAddress.getByName("fd00:ec2::254")));
        assertFalse(loopbackOne.permits(InetAddress.getByName("169.254.169.254")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "localhost/8", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "not an address" })
    void aRangeThatIsNotACidrLiteralFailsAtStartup(String range) {
        assertThrows(IllegalArgumentException.class, () -> new AddressPolicy(List.of(range)));
    }

    /** A resolver of fixed names, as a DNS server an attacker controls could answer. */
    private static AddressPolicy.Resolver names(Map<String, List<String>> names) {
        return host -> {
            List<String> addresses = names.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            List<InetAddress> resolved = new ArrayList<>();
            for (String address : addresses) {
                resolved.add(InetAddress.getByName(address));
            }
            return resolved;
        };
    }

    @Test
    void aNameIsCheckedByEveryAddressItResolvesToAndTheCheckedAddressIsTheOneToConnectTo() throws Exception {
        AddressPolicy policy = new AddressPolicy(List.of(), names(Map.of("app.example.test", List.of("8.8.8.8"),
                "rebound.example.test", List.of("8.8.8.8", "10.0.0.7"), "metadata.example.test",
                List.of("169.254.169.254"))));

        assertEquals(new InetSocketAddress(InetAddress.getByName("8.8.8.8"), 443),
                policy.checkNow(URI.create("https://app.example.test/logout")));
        assertEquals(8080, policy.checkNow(URI.create("http://app.example.test:8080/")).getPort());
        AddressPolicy.Refused refused = assertThrows(AddressPolicy.Refused.class,
                () -> policy.checkNow(URI.create("https://rebound.example.test/")));
        assertTrue(refused.getMessage().contains("10.0.0.7"), refused.getMessage());
        assertTrue(assertThrows(AddressPolicy.Refused.class,
                () -> policy.checkNow(URI.create("https://metadata.example.test/"))).getMessage()
                .contains("169.254.169.254"));
        assertTrue(assertThrows(AddressPolicy.Refused.class,
                () -> policy.check(URI.create("https://metadata.example.test/")).await().indefinitely())
                .getMessage().contains("169.254.169.254"));
        assertThrows(UnknownHostException.class, () -> policy.checkNow(URI.create("https://nowhere.test/")));
    }

    @Test
    void addressLiteralsAreJudgedAtRegistrationNamesAreNot() {
        AddressPolicy policy = new AddressPolicy(List.of("127.0.0.1/32"));
        assertTrue(policy.refusesLiteral("10.1.2.3"));
        assertTrue(policy.refusesLiteral("[fd00:ec2::254]"));
        assertTrue(policy.refusesLiteral("127.0.0.2"));
        assertFalse(policy.refusesLiteral("127.0.0.1"));
        assertFalse(policy.refusesLiteral("8.8.8.8"));
        assertFalse(policy.refusesLiteral("internal.example.test"));
        assertFalse(policy.refusesLiteral(null));
    }
}
