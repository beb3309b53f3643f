package dev.uniwasm.cli;

import static dev.uniwasm.cli.TestSockets.freeLoopbackPort;

import static dev.uniwasm.cli.TestSockets.connect;
import static dev.uniwasm.cli.TestSockets.echoWhileWriting;
import static dev.uniwasm.cli.TestSockets.readExactly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * virtio-net over PCI: NetworkEchoTest's echo scenario on the q35 machine, where the network card
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
        try (GuestRun vm = new GuestRun("run", "-v", "--machine", "q35", "--tcplisten", "0.0.0.0:" + GUEST_PORT,
                "--publish", "127.0.0.1:" + hostPort + ":" + GUEST_PORT, Examples.wasm("tcp_echo").toString(), "--", "3")) {
            vm.awaitReady("ready fd 3\n", READY_TIMEOUT_SECONDS);
            // the kernel's verbose line names the transport it drives: PCI, with an MSI-X vector
            assertTrue(vm.stderr().contains("virtio-net on virtio-pci "), vm.report());
            assertTrue(vm.stderr().contains(" msi-x vector "), vm.report());
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), hostPort);

            // 1: small round trips, each waiting for its echo: every one needs a receive and a
            // transmit interrupt, so a lost MSI-X message would stall here
            long[] nanos = new long[50];
            int pingBytes = 0;
            try (Socket s = connect(server)) {
                for (int i = 0; i < nanos.length; i++) {
                    byte[] msg = ("ping " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                    pingBytes += msg.length;
                    long t0 = System.nanoTime();
                    s.getOutputStream().write(msg);
                    assertArrayEquals(msg, readExactly(s.getInputStream(), msg.length), "round trip " + i);
                    nanos[i] = System.nanoTime() - t0;
                }
                s.shutdownOutput();
                assertEquals(-1, s.getInputStream().read(), "the server closes after the client's end of stream");
            }
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            System.out.printf("tcp_echo round trip on q35 (virtio-pci) over user-mode networking: median %.3f ms, max %.3f ms%n",
                    sorted[sorted.length / 2] / 1e6, sorted[sorted.length - 1] / 1e6);

            // 2: 2 MiB of random bytes in both directions at once: both rings wrap many times
            byte[] big = new byte[2 << 20];
            new Random(35).nextBytes(big);
            try (Socket s = connect(server)) {
                assertArrayEquals(big, echoWhileWriting(s, big), "2 MiB echoed");
            }

            // 3: a client that sends nothing and closes at once
            try (Socket s = connect(server)) {
                s.shutdownOutput();
                assertEquals(-1, s.getInputStream().read());
            }

            assertEquals(0, vm.awaitStatus(60), vm.report());
            String stdout = vm.out.text();
            assertTrue(stdout.contains("connection 1: " + pingBytes + " bytes echoed\n"), vm.report());
            assertTrue(stdout.contains("connection 2: " + big.length + " bytes echoed\n"), vm.report());
            assertTrue(stdout.contains("connection 3: 0 bytes echoed\n"), vm.report());
        }
    }




}
