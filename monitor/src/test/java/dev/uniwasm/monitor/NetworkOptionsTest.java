package dev.uniwasm.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkOptionsTest {
    private static final List<Path> SOCKETS =
            List.of(Path.of("/t/com1.sock"), Path.of("/t/com2.sock"), Path.of("/t/com3.sock"));

    private static List<String> microvm(NetworkOptions network) {
        VmConfig vm = new VmConfig(Path.of("a.img"), null, 64, Machine.MICROVM, Accelerator.TCG, false, network);
        return QemuCommandLine.build(vm, SOCKETS, null, null);
    }

    @Test
    void publishDefaultsToLoopback() {
        assertEquals(new PortForward("127.0.0.1", 8080, 80), PortForward.parse("8080:80"));
        assertEquals(new PortForward("127.0.0.2", 18080, 8080), PortForward.parse("127.0.0.2:18080:8080"));
    }

    @Test
    void publishTakesDockersProtocolSuffix() {
        assertEquals(
                new PortForward("127.0.0.1", 5353, 53, PortForward.Protocol.UDP), PortForward.parse("5353:53/udp"));
        assertEquals(new PortForward("127.0.0.1", 8080, 80), PortForward.parse("8080:80/tcp"));
        assertEquals("udp:127.0.0.1:5353-:53", PortForward.parse("5353:53/udp").qemuHostForward());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortForward.parse("1:2/sctp"));
        assertTrue(e.getMessage().contains("sctp"), e.getMessage());
    }

    @Test
    void publishRejectsMalformedSpecs() {
        for (String bad : List.of("80", "a:80", "1:2:3:4", "0:80", "80:70000", "localhost:80:80", "")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> PortForward.parse(bad), bad);
            assertTrue(
                    e.getMessage().contains(bad.isEmpty() ? "--publish" : bad)
                            || e.getMessage().contains("port"),
                    e.getMessage());
        }
    }

    @Test
    void noNetworkAddsNoDevice() {
        List<String> cmd = microvm(NetworkOptions.NONE);
        assertFalse(cmd.contains("-netdev"), cmd.toString());
        assertFalse(String.join(" ", cmd).contains("virtio"), cmd.toString());
    }

    @Test
    void userModeNetworkWithForwardsOnMicrovm() {
        List<String> cmd = microvm(NetworkOptions.userMode(
                List.of(PortForward.parse("18080:80"), PortForward.parse("127.0.0.1:2222:22"))));
        assertEquals(
                "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:18080-:80,hostfwd=tcp:127.0.0.1:2222-:22",
                cmd.get(cmd.indexOf("-netdev") + 1));
        assertEquals("virtio-net-device,netdev=net0", cmd.get(cmd.lastIndexOf("-device") + 1));
        assertEquals("virtio-mmio.force-legacy=false", cmd.get(cmd.indexOf("-global") + 1));
        String machine = cmd.get(cmd.indexOf("-M") + 1);
        assertTrue(machine.startsWith("microvm,") && machine.endsWith(",ioapic2=off,acpi=off"), machine);
    }

    /** QEMU lets the guest reach the host's loopback (as 10.0.2.2) and beyond unless restricted. */
    @Test
    void userModeIsRestrictedUnlessTheGuestMaySendOut() {
        assertTrue(NetworkOptions.userMode(List.of()).restricted(), "nothing published, nothing allowed out");
        assertEquals("user,id=n,restrict=on", NetworkOptions.userMode(List.of()).qemuNetdev("n", false));
        assertEquals(
                "user,id=n",
                NetworkOptions.userMode(List.of(), true).qemuNetdev("n", false),
                "the guest may send out: the kernel's rules alone decide");
        NetworkOptions udp = NetworkOptions.userMode(List.of(PortForward.parse("5353:53/udp")));
        assertFalse(udp.restricted(), "restrict would drop the guest's answers on a published UDP port");
        assertEquals("user,id=n,hostfwd=udp:127.0.0.1:5353-:53", udp.qemuNetdev("n", false));
        assertFalse(NetworkOptions.tap("tap0").restricted());
        assertFalse(NetworkOptions.NONE.restricted());
        assertThrows(IllegalArgumentException.class, () -> new NetworkOptions(false, List.of(), null, true));
    }

    @Test
    void q35NetworkIsAModernVirtioPciDevice() {
        VmConfig vm = new VmConfig(
                Path.of("a.img"), null, 64, Machine.Q35, Accelerator.TCG, false, NetworkOptions.userMode(List.of()));
        List<String> cmd = QemuCommandLine.build(vm, SOCKETS, null, null);
        assertEquals("virtio-net-pci,netdev=net0,disable-legacy=on,romfile=", cmd.get(cmd.lastIndexOf("-device") + 1));
        assertEquals("q35", cmd.get(cmd.indexOf("-M") + 1), "q35 keeps ACPI and its I/O APIC layout");
        assertFalse(cmd.contains("-global"), cmd.toString());
    }

    @Test
    void publishingNeedsANetwork() {
        assertThrows(
                IllegalArgumentException.class, () -> new NetworkOptions(false, List.of(PortForward.parse("1:2"))));
    }
}
