package dev.uniwasm.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.bench.core.BenchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxGuestTest {
    @TempDir
    Path modules;

    private void module(String dir, String name, String depends) throws Exception {
        Path d = Files.createDirectories(modules.resolve(dir));
        // a .modinfo section is NUL-separated key=value strings somewhere in the ELF file
        String body = "\u007fELF junk\0license=GPL\0depends=" + depends + "\0intree=Y\0name=" + name + "\0";
        Files.write(d.resolve(name + ".ko"), body.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void ordersModulesAfterTheirDependencies() throws Exception {
        module("kernel/drivers/virtio", "virtio_ring", "");
        module("kernel/drivers/virtio", "virtio", "virtio_ring");
        module("kernel/drivers/virtio", "virtio_mmio", "virtio,virtio_ring");
        module("kernel/net/core", "failover", "");
        module("kernel/drivers/net", "net_failover", "failover");
        module("kernel/drivers/net", "virtio_net", "virtio_ring,virtio,net_failover");
        module("kernel/drivers/net", "unrelated", "");
        List<String> order = List.copyOf(
                LinuxGuest.orderedModules(modules, LinuxGuest.NETWORK_MODULES).keySet());
        assertEquals(List.of("virtio_ring", "virtio", "virtio_mmio", "failover", "net_failover", "virtio_net"), order);
    }

    @Test
    void namesAMissingModuleAndACycle() throws Exception {
        module("kernel", "virtio_mmio", "virtio");
        BenchException e =
                assertThrows(BenchException.class, () -> LinuxGuest.orderedModules(modules, List.of("virtio_mmio")));
        assertTrue(e.getMessage().contains("no module virtio"), e.getMessage());
        module("kernel", "virtio", "virtio_mmio");
        e = assertThrows(BenchException.class, () -> LinuxGuest.orderedModules(modules, List.of("virtio_mmio")));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    }
}
