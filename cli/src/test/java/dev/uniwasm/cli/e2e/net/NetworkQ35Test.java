package dev.uniwasm.cli.e2e.net;

import static dev.uniwasm.cli.e2e.support.TestSockets.freeLoopbackPort;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.GuestRun;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * virtio-net over PCI: the echo scenario ({@link EchoScenario}) on the q35 machine, where the network card
 * is a modern virtio PCI function (found by enumerating the PCI bus, its structures located by the
 * vendor capabilities, interrupts by MSI-X) instead of microvm's virtio-mmio transport. One VM
 * boot; the test talks to the guest over 127.0.0.1 only (QEMU user-mode networking, --publish).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class NetworkQ35Test {
    private static final int GUEST_PORT = 7000;
    /** q35 boots through SeaBIOS, which is slow under TCG. */
    private static final long READY_TIMEOUT_SECONDS = 240;

    @Test
    void echoServerOnVirtioPci() throws Exception {
        int hostPort = freeLoopbackPort();
        try (GuestRun vm = new GuestRun(
                "run",
                "-v",
                "--machine",
                "q35",
                "--tcplisten",
                "0.0.0.0:" + GUEST_PORT,
                "--publish",
                "127.0.0.1:" + hostPort + ":" + GUEST_PORT,
                Examples.wasm("tcp_echo").toString(),
                "--",
                "3")) {
            vm.awaitReady("ready fd 3\n", READY_TIMEOUT_SECONDS);
            // the kernel's verbose line names the transport it drives: PCI, with an MSI-X vector
            assertTrue(vm.stderr().contains("virtio-net on virtio-pci "), vm.report());
            assertTrue(vm.stderr().contains(" msi-x vector "), vm.report());
            EchoScenario.run(vm, hostPort, "on q35 (virtio-pci) over user-mode networking", 35);
        }
    }
}
