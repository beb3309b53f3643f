package dev.uniwasm.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --net tap=NAME} on the QEMU side: the -netdev value and the checks before QEMU starts. */
class TapNetworkTest {
    private static final List<Path> SOCKETS =
            List.of(Path.of("/t/com1.sock"), Path.of("/t/com2.sock"), Path.of("/t/com3.sock"));

    @Test
    void tapNetdevRunsNoScripts() {
        VmConfig vm = new VmConfig(
                Path.of("a.img"), null, 64, Machine.MICROVM, Accelerator.TCG, false, NetworkOptions.tap("tap7"));
        List<String> cmd = QemuCommandLine.build(vm, SOCKETS, null, null);
        // vhost-net needs KVM: under TCG it is never asked for
        assertEquals("tap,id=net0,ifname=tap7,script=no,downscript=no", cmd.get(cmd.indexOf("-netdev") + 1));
        assertEquals("virtio-net-device,netdev=net0", cmd.get(cmd.lastIndexOf("-device") + 1));
        assertFalse(NetworkOptions.vhostNetUsable(Accelerator.TCG));
        assertEquals(
                "tap,id=n,ifname=t,script=no,downscript=no,vhost=on",
                NetworkOptions.tap("t").qemuNetdev("n", true));
    }

    @Test
    void tapNamesAreCheckedAndPublishingIsUserModeOnly() {
        for (String bad : List.of("", "a-name-longer-than-15", "a b", "x/y", "..")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> NetworkOptions.tap(bad), bad);
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new NetworkOptions(true, List.of(PortForward.parse("1:2")), "tap0"));
        assertTrue(e.getMessage().contains("--publish works with user-mode networking only"), e.getMessage());
    }

    @Test
    void aMissingTapDeviceIsNamed() {
        String problem = NetworkOptions.tapProblem("uwnosuch9");
        assertNotNull(problem);
        assertEquals(
                "no network interface \"uwnosuch9\" in this network namespace (create it with: ip tuntap add dev "
                        + "uwnosuch9 mode tap)",
                problem);
        // loopback exists but is not a TAP device
        assertEquals("network interface \"lo\" is not a TAP device", NetworkOptions.tapProblem("lo"));
    }
}
