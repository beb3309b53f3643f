package dev.uniwasm.cli.e2e.net;

import static dev.uniwasm.cli.e2e.support.TestSockets.connect;
import static dev.uniwasm.cli.e2e.support.TestSockets.echoWhileWriting;
import static dev.uniwasm.cli.e2e.support.TestSockets.readExactly;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.GuestRun;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * What examples/tcp_echo.c (started with "3": three connections, then exit) must do for any
 * network transport: 50 small round trips, 2 MiB echoed while it is still being written (the rings
 * wrap many times), a client that sends nothing; then exit 0 with a line per connection.
 */
final class EchoScenario {
    private static final long EXIT_TIMEOUT_SECONDS = 60;

    private EchoScenario() {}

    /** Runs the three connections against 127.0.0.1:hostPort; {@code label} names the transport in the log. */
    static void run(GuestRun vm, int hostPort, String label, long seed) throws Exception {
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), hostPort);
        // 1: small round trips, each waiting for its echo: every one needs a receive and a transmit
        // interrupt, so a lost interrupt stalls here; the latency figure goes to the test log
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
        System.out.printf(
                "tcp_echo round trip %s: median %.3f ms, max %.3f ms%n",
                label, sorted[sorted.length / 2] / 1e6, sorted[sorted.length - 1] / 1e6);

        // 2: 2 MiB of random bytes in both directions at once
        byte[] big = new byte[2 << 20];
        new Random(seed).nextBytes(big);
        try (Socket s = connect(server)) {
            assertArrayEquals(big, echoWhileWriting(s, big), "2 MiB echoed");
        }

        // 3: a client that sends nothing and closes at once
        try (Socket s = connect(server)) {
            s.shutdownOutput();
            assertEquals(-1, s.getInputStream().read());
        }

        assertEquals(0, vm.awaitStatus(EXIT_TIMEOUT_SECONDS), vm.report());
        String stdout = vm.out.text();
        assertTrue(stdout.contains("connection 1: " + pingBytes + " bytes echoed\n"), vm.report());
        assertTrue(stdout.contains("connection 2: " + big.length + " bytes echoed\n"), vm.report());
        assertTrue(stdout.contains("connection 3: 0 bytes echoed\n"), vm.report());
    }
}
