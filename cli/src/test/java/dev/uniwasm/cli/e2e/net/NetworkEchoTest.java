package dev.uniwasm.cli.e2e.net;

import static dev.uniwasm.cli.e2e.support.TestSockets.connect;
import static dev.uniwasm.cli.e2e.support.TestSockets.echoWhileWriting;
import static dev.uniwasm.cli.e2e.support.TestSockets.freeLoopbackPort;
import static dev.uniwasm.cli.e2e.support.TestSockets.readExactly;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.GuestRun;
import dev.uniwasm.cli.e2e.support.Way;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The network end to end: examples/tcp_echo.c booted with a pre-opened listener (--tcplisten) and
 * a port published on 127.0.0.1 through QEMU's user-mode network (--publish); the test talks to it
 * over loopback only. Covers virtio-net, lwIP, sock_accept / sock_recv / sock_send /
 * sock_shutdown / fd_close on sockets. The servers run both ways ({@link Way}): as a process the
 * listener is a host socket on 127.0.0.1 (net/host) instead.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NetworkEchoTest {
    private static final int GUEST_PORT = 7000;
    private static final long READY_TIMEOUT_SECONDS = 180;
    private static final long EXIT_TIMEOUT_SECONDS = 60;

    @ParameterizedTest
    @EnumSource(Way.class)
    void echoServerAnswersOnAPublishedPort(Way way) throws Exception {
        int hostPort = freeLoopbackPort();
        try (GuestRun vm = new GuestRun(way.runLine(
                way.listenFlags(hostPort, GUEST_PORT), Examples.wasm("tcp_echo").toString(), "--", "3"))) {
            vm.awaitReady("ready fd 3\n", READY_TIMEOUT_SECONDS);
            EchoScenario.run(vm, hostPort, way == Way.VM ? "over user-mode networking" : "as a process", 42);
        }
    }

    /** examples/tcp_echo_poll.c: several clients at once through poll_oneoff on non-blocking sockets. */
    @ParameterizedTest
    @EnumSource(Way.class)
    void pollServerEchoesInterleavedClients(Way way) throws Exception {
        int hostPort = freeLoopbackPort();
        int clients = 4;
        try (GuestRun vm = new GuestRun(way.runLine(
                way.listenFlags(hostPort, GUEST_PORT),
                Examples.wasm("tcp_echo_poll").toString(),
                "--",
                String.valueOf(clients + 1)))) {
            vm.awaitReady("ready fd 3\n", READY_TIMEOUT_SECONDS);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), hostPort);
            Socket[] socks = new Socket[clients];
            try {
                for (int i = 0; i < clients; i++) socks[i] = connect(server);
                // every client speaks before any reads: the server must serve them side by side
                for (int round = 0; round < 20; round++) {
                    for (int i = 0; i < clients; i++) {
                        socks[i].getOutputStream()
                                .write(("c" + i + " r" + round + "|").getBytes(StandardCharsets.US_ASCII));
                    }
                    for (int i = 0; i < clients; i++) {
                        byte[] want = ("c" + i + " r" + round + "|").getBytes(StandardCharsets.US_ASCII);
                        assertArrayEquals(
                                want,
                                readExactly(socks[i].getInputStream(), want.length),
                                "client " + i + " round " + round);
                    }
                }
                // one more client with more than the server's per-client buffer, while the others idle
                byte[] big = new byte[3 << 20];
                new Random(7).nextBytes(big);
                try (Socket s = connect(server)) {
                    assertArrayEquals(big, echoWhileWriting(s, big), "3 MiB echoed");
                }
                for (Socket s : socks) {
                    s.shutdownOutput();
                    assertEquals(-1, s.getInputStream().read());
                }
            } finally {
                for (Socket s : socks) if (s != null) s.close();
            }
            assertEquals(0, vm.awaitStatus(EXIT_TIMEOUT_SECONDS), vm.report());
            assertTrue(vm.out.text().contains("served " + (clients + 1) + " connections\n"), vm.report());
        }
    }

    /** examples/tcp_checks.c: errors, peek, waitall, non-blocking, shutdown and close, checked in the guest. */
    @ParameterizedTest
    @EnumSource(Way.class)
    void socketSemanticsInTheGuest(Way way) throws Exception {
        int hostPort = freeLoopbackPort();
        try (GuestRun vm = new GuestRun(way.runLine(
                way.listenFlags(hostPort, GUEST_PORT),
                Examples.wasm("tcp_checks").toString()))) {
            vm.awaitReady("ready\n", READY_TIMEOUT_SECONDS);
            try (Socket s = connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), hostPort))) {
                s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(300); // the guest's waitall must wait for the second write
                s.getOutputStream().write(" world".getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals("done\n".getBytes(StandardCharsets.US_ASCII), readExactly(s.getInputStream(), 5));
                assertEquals(-1, s.getInputStream().read(), "the guest shut down its side");
            }
            assertEquals(0, vm.awaitStatus(EXIT_TIMEOUT_SECONDS), vm.report());
            assertTrue(vm.out.text().endsWith("PASSED\n"), vm.report());
        }
    }

    @Test
    void malformedPublishIsAUsageError() throws Exception {
        Cli.Result r =
                Cli.run("run", "--publish", "80", Examples.wasm("tcp_echo").toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("--publish \"80\": expected [127.0.0.1:]HOSTPORT:GUESTPORT"), r.toString());
    }

    @Test
    void malformedTcpListenIsAUsageError() throws Exception {
        Cli.Result r = Cli.run(
                "run", "--tcplisten", "1.2.3:80", Examples.wasm("tcp_echo").toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("\"1.2.3\" is not an IPv4 address"), r.toString());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void withoutAListenerTheServerSaysSo(Way way) throws Exception {
        Cli.Result r = way.run(Examples.wasm("tcp_echo").toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("no pre-opened listening socket"), r.toString());
    }
}
