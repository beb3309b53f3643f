package dev.uniwasm.cli.e2e.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.Main;
import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.TestSockets;
import dev.uniwasm.cli.e2e.support.Way;
import dev.uniwasm.testkit.TapNamespace;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a guest may start itself (kernel/net/outbound.c, QEMU's restrict=on): examples/outbound_probe.c
 * tries to reach servers this test runs on the host's 127.0.0.1, which QEMU's user network shows the
 * guest as 10.0.2.2 (libslirp translates every destination in 10.0.2.0/24 but the DNS forwarder to
 * the host's loopback). With only --tcplisten or --publish it must reach none of them, a wildcard
 * (--inherit-network, 0.0.0.0/0) must not open them either, and naming the host opens exactly what
 * is named. On a TAP device the kernel applies the same rules. Every refusal is EACCES (2).
 * Name lookups are checked in WasmEdgeSocketTest, inside a namespace of their own. The rules hold
 * both ways ({@link Way}): a process reaches the host at 127.0.0.1 itself, and its sandbox has no
 * socket call at all without an outbound rule (ProcessIsolationTest).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OutboundPolicyTest {
    private static final int EACCES = 2;
    /** The host as a VM on QEMU's user network sees it (tests of a VM only). */
    private static final String HOST = Way.VM.hostAddress();

    /**
     * The host's addresses besides {@link Way#hostAddress()}, each of which opens only to a rule
     * naming it: for a VM the rest of QEMU's subnet (its broadcast address here), 127/8 and 0/8;
     * for a process another loopback address and 0/8 (both reach the host's own services).
     */
    private static List<String> otherHostAddresses(Way way) {
        return way == Way.VM ? List.of("10.0.2.255", "127.0.0.1", "0.0.0.0") : List.of("127.0.0.2", "0.0.0.0");
    }

    /** A TCP and a UDP probe of the servers at every address of the host. */
    private static String[] everyHostAddress(Way way, HostServers servers) {
        List<String> probes = new ArrayList<>();
        for (String a : concat(List.of(way.hostAddress()), otherHostAddresses(way))) {
            probes.add(tcp(a, servers.tcpPort()));
            probes.add(udp(a, servers.udpPort()));
        }
        return probes.toArray(String[]::new);
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void withOnlyAListenerTheHostsLoopbackIsRefused(Way way) throws Exception {
        try (HostServers servers = new HostServers(InetAddress.getLoopbackAddress())) {
            String[] probes = everyHostAddress(way, servers);
            // a process listens on the host itself: a free port on loopback, not a fixed one on every address
            List<String> listener = way == Way.VM
                    ? List.of("--tcplisten", "8080")
                    : List.of("--tcplisten", "127.0.0.1:" + TestSockets.freeLoopbackPort());
            Cli.Result r = probe(way, listener, probes);
            assertRefused(r, probes);
            servers.assertNothingArrived(r);
        }
    }

    /** A VM only: a process has no published ports. */
    @Test
    void withOnlyAPublishedPortTheHostsLoopbackIsRefused() throws Exception {
        try (HostServers servers = new HostServers(InetAddress.getLoopbackAddress())) {
            Cli.Result r = probe(
                    Way.VM,
                    List.of("--publish", "127.0.0.1:" + TestSockets.freeLoopbackPort() + ":9"),
                    tcp(HOST, servers.tcpPort()),
                    udp(HOST, servers.udpPort()));
            assertRefused(r, tcp(HOST, servers.tcpPort()), udp(HOST, servers.udpPort()));
            servers.assertNothingArrived(r);
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void aWildcardDoesNotOpenTheHost(Way way) throws Exception {
        try (HostServers servers = new HostServers(InetAddress.getLoopbackAddress())) {
            String[] probes = everyHostAddress(way, servers);
            Cli.Result r = probe(way, List.of("--inherit-network", "--allow-outbound", "0.0.0.0/0"), probes);
            assertRefused(r, probes);
            servers.assertNothingArrived(r);
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void theHostIsReachedOnlyWhereNamed(Way way) throws Exception {
        try (HostServers servers = new HostServers(InetAddress.getLoopbackAddress())) {
            String host = way.hostAddress();
            int t = servers.tcpPort(), u = servers.udpPort(), closed = TestSockets.freeLoopbackPort();
            List<String> elsewhere =
                    otherHostAddresses(way).stream().map(a -> tcp(a, t)).toList();
            Cli.Result r = probe(
                    way,
                    List.of("--inherit-network", "--allow-outbound", "host:" + t, "--allow-outbound", host + ":" + u),
                    concat(List.of(tcp(host, t), udp(host, u), tcp(host, closed)), elsewhere)
                            .toArray(String[]::new));
            assertTrue(r.out().contains(tcp(host, t) + ": ok\n"), r.toString());
            assertTrue(r.out().contains(udp(host, u) + ": ok\n"), r.toString());
            assertRefused(r, concat(List.of(tcp(host, closed)), elsewhere).toArray(String[]::new));
            assertTrue(servers.awaitTcpLines(1), "the named TCP port got the probe: " + servers.tcpLines + "\n" + r);
            assertTrue(servers.awaitDatagrams(1), "the named UDP port got the probe: " + servers.datagrams + "\n" + r);
            assertEquals(List.of("probe"), servers.tcpLines, r.toString());
        }
    }

    /**
     * On a TAP device in a namespace of the test's own, whose router forwards to the host end of a
     * veth pair where the servers listen: refused without a rule, reached with --inherit-network.
     */
    @Test
    void theRulesHoldOnATapDevice() throws Exception {
        Assumptions.assumeTrue(TapNamespace.root(), "needs root to create a network namespace and a TAP device");
        try (TapNamespace ns = TestNamespaces.create("uwoutbound", 215, true);
                HostServers servers = new HostServers(InetAddress.getByName("10.215.0.1"))) {
            String target = tcp("10.215.0.1", servers.tcpPort());
            String refused = runInNamespace(ns, List.of("--tcplisten", "8080"), target);
            assertTrue(refused.contains(target + ": errno " + EACCES + "\n"), refused);
            servers.assertNothingArrived(refused);
            String allowed = runInNamespace(ns, List.of("--inherit-network"), target);
            assertTrue(allowed.contains(target + ": ok\n"), allowed);
            assertTrue(servers.awaitTcpLines(1), "the server got the probe: " + allowed);
        }
    }

    @Test
    void badRulesAreOneLineUsageErrors() throws Exception {
        String app = Examples.wasm("outbound_probe").toString();
        for (String[] c : new String[][] {
            {"10.0.0.1/8", "bits set beyond the /8 prefix"},
            {"host:http", "is not a number"},
            {"example.com:443", "is not an IPv4 address"},
            {"0.0.0.0/40", "is not in 0..32"}
        }) {
            Cli.Result r = Cli.run("run", "--allow-outbound", c[0], app);
            assertEquals(Main.USAGE, r.status(), r.toString());
            assertEquals(
                    "uniwasm: --allow-outbound \"" + c[0] + "\": ",
                    r.err()
                            .substring(
                                    0,
                                    Math.min(
                                            r.err().length(),
                                            ("uniwasm: --allow-outbound \"" + c[0] + "\": ").length())),
                    r.toString());
            assertTrue(r.err().contains(c[1]) && r.err().strip().lines().count() == 1, r.toString());
        }
        Cli.Result tap = Cli.run(
                "run", "--net", "tap=uwnothere0", "--net-address", "10.9.0.2/24", "--allow-outbound", "host:22", app);
        assertEquals(Main.USAGE, tap.status(), tap.toString());
        assertTrue(tap.err().contains("'host' is the host's loopback on QEMU's user network"), tap.toString());
    }

    private static String tcp(String address, int port) {
        return "tcp:" + address + ":" + port;
    }

    private static String udp(String address, int port) {
        return "udp:" + address + ":" + port;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Cli.Result probe(Way way, List<String> flags, String... probes) throws Exception {
        List<String> args = new ArrayList<>(flags);
        args.add(Examples.wasm("outbound_probe").toString());
        args.add("--");
        args.addAll(List.of(probes));
        Cli.Result r = way.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.toString());
        return r;
    }

    private static void assertRefused(Cli.Result r, String... probes) {
        for (String p : probes)
            assertTrue(r.out().contains(p + ": errno " + EACCES + "\n"), p + " is refused with EACCES: " + r);
    }

    /** {@code uniwasm run} on the namespace's TAP device, in a JVM started inside it; its output. */
    private static String runInNamespace(TapNamespace ns, List<String> flags, String... probes) throws Exception {
        List<String> cmd = new ArrayList<>(ns.exec());
        cmd.addAll(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xss16m",
                "--enable-native-access=ALL-UNNAMED",
                "-Duniwasm.home=" + Examples.home(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "run"));
        cmd.addAll(ns.runFlags());
        cmd.addAll(flags);
        cmd.add(Examples.wasm("outbound_probe").toString());
        cmd.add("--");
        cmd.addAll(List.of(probes));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** A TCP server that records the first line of each connection and a UDP socket that records datagrams. */
    private static final class HostServers implements AutoCloseable {
        private static final long ARRIVAL_MILLIS = 10_000;
        private static final long SETTLE_MILLIS = 500;
        final List<String> tcpLines = Collections.synchronizedList(new ArrayList<>());
        final List<String> datagrams = Collections.synchronizedList(new ArrayList<>());
        private final ServerSocket tcp;
        private final DatagramSocket udp;

        HostServers(InetAddress address) throws IOException {
            tcp = new ServerSocket(0, 8, address);
            udp = new DatagramSocket(0, address);
            daemon(this::acceptLines, "outbound-tcp");
            daemon(this::receiveDatagrams, "outbound-udp");
        }

        private static void daemon(Runnable r, String name) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.start();
        }

        private void acceptLines() {
            while (!tcp.isClosed()) {
                try (Socket s = tcp.accept()) {
                    s.setSoTimeout(TestSockets.TIMEOUT_MILLIS);
                    String line = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
                    tcpLines.add(line);
                } catch (IOException closed) {
                    if (tcp.isClosed()) return;
                }
            }
        }

        private void receiveDatagrams() {
            byte[] buf = new byte[2048];
            while (!udp.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    udp.receive(p);
                    datagrams.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        int tcpPort() {
            return tcp.getLocalPort();
        }

        int udpPort() {
            return udp.getLocalPort();
        }

        boolean awaitTcpLines(int n) throws InterruptedException {
            return await(tcpLines, n);
        }

        boolean awaitDatagrams(int n) throws InterruptedException {
            return await(datagrams, n);
        }

        private static boolean await(List<String> list, int n) throws InterruptedException {
            long deadline = System.currentTimeMillis() + ARRIVAL_MILLIS;
            while (list.size() < n && System.currentTimeMillis() < deadline) Thread.sleep(50);
            return list.size() >= n;
        }

        /** The guest has exited; anything it had sent would have been forwarded by now. */
        void assertNothingArrived(Object report) throws InterruptedException {
            Thread.sleep(SETTLE_MILLIS);
            assertEquals(List.of(), tcpLines, "no connection reached the host: " + report);
            assertEquals(List.of(), datagrams, "no datagram reached the host: " + report);
        }

        @Override
        public void close() throws IOException {
            tcp.close();
            udp.close();
        }
    }
}
