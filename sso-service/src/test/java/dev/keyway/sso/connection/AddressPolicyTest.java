package dev.keyway.sso.connection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Addresses the metadata fetch may never reach unless the operator allows them, and the public ones it may. */
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
}
