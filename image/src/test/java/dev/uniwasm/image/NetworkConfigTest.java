package dev.uniwasm.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkConfigTest {
    @Test
    void listenerSpecs() {
        NetworkConfig.Listener any = NetworkConfig.Listener.parse("8080");
        assertArrayEquals(new byte[] {0, 0, 0, 0}, any.address().getAddress());
        assertEquals(8080, any.port());
        NetworkConfig.Listener one = NetworkConfig.Listener.parse("10.0.2.15:80");
        assertArrayEquals(new byte[] {10, 0, 2, 15}, one.address().getAddress());
        for (String bad :
                List.of("", "x:80", "1.2.3:80", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:http", "host.example:80")) {
            assertThrows(ImageException.class, () -> NetworkConfig.Listener.parse(bad), bad);
        }
    }

    @Test
    void netmaskMustBeAPrefix() {
        ImageException e = assertThrows(
                ImageException.class,
                () -> new NetworkConfig(
                        NetworkConfig.ipv4("10.0.0.2", "a"),
                        NetworkConfig.ipv4("255.0.255.0", "m"),
                        NetworkConfig.ipv4("10.0.0.1", "g"),
                        NetworkConfig.ipv4("10.0.0.1", "d"),
                        List.of()));
        assertTrue(e.getMessage().contains("not a contiguous prefix"), e.getMessage());
        new NetworkConfig(
                NetworkConfig.ipv4("10.0.0.2", "a"),
                NetworkConfig.ipv4("0.0.0.0", "m"),
                NetworkConfig.ipv4("10.0.0.1", "g"),
                NetworkConfig.ipv4("10.0.0.1", "d"),
                List.of());
    }

    /** Version 3 (kernel/README.md): byte 28 holds the 8-aligned offset of the network section. */
    @Test
    void encodesTheNetworkSectionAsVersion3() {
        NetworkConfig net = NetworkConfig.userMode(
                List.of(NetworkConfig.Listener.parse("0.0.0.0:7000"), NetworkConfig.Listener.parse("10.0.2.15:443")));
        byte[] bytes = new BootConfig(List.of("app"), List.of("K=V"), false)
                .withNetwork(net)
                .encode();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(3, b.getShort(4));
        assertEquals(bytes.length, b.getInt(8));
        assertEquals(0, b.getInt(20), "no mounts");
        int table = b.getInt(24);
        int section = b.getInt(28);
        assertEquals(0, section % 8);
        assertTrue(section >= table, "after the (empty) mount table");
        assertEquals(section + 24 + 2 * 8, bytes.length);
        assertArrayEquals(new byte[] {10, 0, 2, 15}, Arrays.copyOfRange(bytes, section, section + 4));
        assertArrayEquals(
                new byte[] {(byte) 255, (byte) 255, (byte) 255, 0},
                Arrays.copyOfRange(bytes, section + 4, section + 8));
        assertArrayEquals(new byte[] {10, 0, 2, 2}, Arrays.copyOfRange(bytes, section + 8, section + 12));
        assertArrayEquals(new byte[] {10, 0, 2, 3}, Arrays.copyOfRange(bytes, section + 12, section + 16));
        assertEquals(2, b.getInt(section + 16));
        assertEquals(0, b.getShort(section + 20), "no outbound rules");
        assertEquals(NetworkConfig.FLAG_SUBNET_IS_HOST, b.getShort(section + 22), "QEMU's subnet leads to the host");
        assertArrayEquals(new byte[] {0, 0, 0, 0}, Arrays.copyOfRange(bytes, section + 24, section + 28));
        assertEquals(7000, Short.toUnsignedInt(b.getShort(section + 28)));
        assertEquals(0, b.getShort(section + 30));
        assertArrayEquals(new byte[] {10, 0, 2, 15}, Arrays.copyOfRange(bytes, section + 32, section + 36));
        assertEquals(443, Short.toUnsignedInt(b.getShort(section + 36)));
    }

    @Test
    void outboundRuleSpecs() {
        java.net.Inet4Address gateway = NetworkConfig.ipv4("10.0.2.2", "g");
        assertEquals(new NetworkConfig.Rule(gateway, 32, 5432), NetworkConfig.Rule.parse("host:5432", gateway));
        assertEquals(new NetworkConfig.Rule(gateway, 32, 0), NetworkConfig.Rule.parse("host", gateway));
        assertEquals(new NetworkConfig.Rule(gateway, 32, 5432), NetworkConfig.Rule.parse("10.0.2.2:5432", null));
        assertEquals(NetworkConfig.Rule.ANY, NetworkConfig.Rule.parse("0.0.0.0/0", gateway));
        NetworkConfig.Rule net = NetworkConfig.Rule.parse("192.168.0.0/16:443", null);
        assertArrayEquals(
                new byte[] {(byte) 192, (byte) 168, 0, 0}, net.address().getAddress());
        assertEquals(16, net.prefix());
        assertEquals(443, net.port());
        for (String bad : List.of(
                "",
                "host/8",
                "10.0.0.1/8",
                "10.0.0.0/33",
                "10.0.0.0/-1",
                "10.0.0.0/x",
                "10.0.0.0/+8",
                "1.2.3.4:0",
                "1.2.3.4:65536",
                "1.2.3.4:https",
                "example.com",
                "1.2.3:80")) {
            ImageException e = assertThrows(ImageException.class, () -> NetworkConfig.Rule.parse(bad, gateway), bad);
            assertTrue(e.getMessage().startsWith("--allow-outbound \"" + bad + "\": "), e.getMessage());
        }
        ImageException e = assertThrows(ImageException.class, () -> NetworkConfig.Rule.parse("host:22", null));
        assertTrue(e.getMessage().contains("QEMU's user network"), e.getMessage());
    }

    /** The rule count and flags live in the u32 that older configs left 0: those mean no outbound traffic. */
    @Test
    void encodesOutboundRulesAfterTheListeners() {
        java.net.Inet4Address gateway = NetworkConfig.ipv4("10.0.2.2", "g");
        NetworkConfig net = NetworkConfig.userMode(List.of(NetworkConfig.Listener.parse("7000")))
                .withOutbound(new NetworkConfig.Outbound(
                        List.of(
                                NetworkConfig.Rule.ANY,
                                NetworkConfig.Rule.parse("host:5432", gateway),
                                NetworkConfig.Rule.parse("172.16.0.0/12", null)),
                        true));
        byte[] bytes = new BootConfig(List.of("app"), List.of(), false)
                .withNetwork(net)
                .encode();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int section = b.getInt(28);
        assertEquals(1, b.getInt(section + 16), "one listener");
        assertEquals(3, b.getShort(section + 20), "three rules");
        assertEquals(NetworkConfig.FLAG_NAME_LOOKUP | NetworkConfig.FLAG_SUBNET_IS_HOST, b.getShort(section + 22));
        int rules = section + 24 + 8;
        assertEquals(rules + 3 * 8, bytes.length);
        assertArrayEquals(
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0},
                Arrays.copyOfRange(bytes, rules, rules + 8),
                "0.0.0.0/0, any port");
        assertArrayEquals(
                new byte[] {10, 0, 2, 2, 32, 0, (byte) 0x38, 0x15},
                Arrays.copyOfRange(bytes, rules + 8, rules + 16),
                "10.0.2.2/32 port 5432");
        assertArrayEquals(
                new byte[] {(byte) 172, 16, 0, 0, 12, 0, 0, 0}, Arrays.copyOfRange(bytes, rules + 16, rules + 24));

        NetworkConfig tap = new NetworkConfig(
                NetworkConfig.ipv4("10.9.0.2", "a"),
                NetworkConfig.ipv4("255.255.255.0", "m"),
                NetworkConfig.ipv4("10.9.0.1", "g"),
                NetworkConfig.ipv4("10.9.0.1", "d"),
                List.of());
        byte[] none = new BootConfig(List.of("app"), List.of(), false)
                .withNetwork(tap)
                .encode();
        ByteBuffer n = ByteBuffer.wrap(none).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, n.getInt(n.getInt(28) + 20), "no rules, no lookups, not QEMU's subnet: the older layout's 0");
    }

    @Test
    void withoutNetworkTheOlderVersionsStay() {
        assertEquals(1, new BootConfig(List.of("app"), List.of(), false).encode()[4]);
        assertEquals(
                1,
                new BootConfig(List.of("app"), List.of(), false)
                        .withNetwork(null)
                        .encode()[4]);
    }
}
