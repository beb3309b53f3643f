package dev.uniwasm.cli.e2e.net;

import static dev.uniwasm.cli.e2e.support.TestSockets.connect;
import static dev.uniwasm.cli.e2e.support.TestSockets.echoWhileWriting;
import static dev.uniwasm.cli.e2e.support.TestSockets.freeLoopbackPort;
import static dev.uniwasm.cli.e2e.support.TestSockets.readExactly;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.Main;
import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.GuestRun;
import dev.uniwasm.cli.e2e.support.Way;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * WasmEdge's socket API in the unikernel, end to end over QEMU's user-mode network: the echo
 * servers examples/wasmedge_echo.c (TCP: sock_open, bind, listen, 2-argument accept) and
 * examples/wasmedge_udp.c (UDP: recv_from, send_to) against clients on the host's loopback
 * (--publish, also with /udp, whose replies go back to the sender without an outbound rule);
 * examples/wasmedge_client_checks.c connecting out to servers this test runs on 127.0.0.1 (the
 * guest sees them at 10.0.2.2, allowed by --allow-outbound host); and name lookups through lwIP's
 * resolver, run in a network namespace this test creates, against a DNS responder it runs there
 * (refused without --allow-ip-name-lookup). The guest reaches nothing but these servers.
 * VM-only but for the first check and the name lookups ({@link Way}): a process cannot listen
 * itself (its servers use --tcplisten) nor have a published port, and wasmedge_client_checks
 * expects the guest's own address 10.0.2.15 and lwIP's 64-datagram UDP queue.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WasmEdgeSocketTest {
    private static final long READY_TIMEOUT_SECONDS = 180;
    private static final long EXIT_TIMEOUT_SECONDS = 60;
    private static final int SOCKET_TIMEOUT_MILLIS = 30_000;
    /** The host's loopback as QEMU's user-mode network shows it to the guest. */
    private static final String HOST_FROM_GUEST = "10.0.2.2";

    @Test
    void echoServerOnTheWasmEdgeApi() throws Exception {
        int hostPort = freeLoopbackPort();
        int guestPort = 7001;
        try (GuestRun vm = new GuestRun(
                "run",
                "--publish",
                "127.0.0.1:" + hostPort + ":" + guestPort,
                Examples.wasm("wasmedge_echo").toString(),
                "--",
                String.valueOf(guestPort),
                "2")) {
            vm.awaitReady("ready\n", READY_TIMEOUT_SECONDS);
            assertTrue(vm.out.text().startsWith("listening on 0.0.0.0:" + guestPort + "\n"), vm.report());
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), hostPort);
            int pingBytes = 0;
            try (Socket s = connect(server)) {
                for (int i = 0; i < 20; i++) {
                    byte[] msg = ("ping " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                    pingBytes += msg.length;
                    s.getOutputStream().write(msg);
                    assertArrayEquals(msg, readExactly(s.getInputStream(), msg.length), "round trip " + i);
                }
                s.shutdownOutput();
                assertEquals(-1, s.getInputStream().read(), "the server closes after the client's end of stream");
            }
            byte[] big = new byte[512 << 10];
            new Random(5).nextBytes(big);
            try (Socket s = connect(server)) {
                assertArrayEquals(big, echoWhileWriting(s, big), "512 KiB echoed");
            }
            assertEquals(0, vm.awaitStatus(EXIT_TIMEOUT_SECONDS), vm.report());
            String out = vm.out.text();
            assertTrue(out.contains("connection 1 from " + HOST_FROM_GUEST + ":"), vm.report());
            assertTrue(out.contains(": " + pingBytes + " bytes echoed\n"), vm.report());
            assertTrue(out.contains("connection 2 from " + HOST_FROM_GUEST + ":"), vm.report());
            assertTrue(out.contains(": " + big.length + " bytes echoed\n"), vm.report());
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void withoutANetworkSockOpenSaysSo(Way way) throws Exception {
        Cli.Result r = way.run(Examples.wasm("wasmedge_echo").toString(), "--", "7001");
        assertEquals(1, r.status(), r.toString());
        assertTrue(
                r.err().contains("wasmedge_echo: sock_open: ") && r.err().contains("(WASI errno 38)"),
                "ENETDOWN without --publish or --tcplisten: " + r);
    }

    @Test
    void udpEchoOnAPublishedUdpPort() throws Exception {
        int hostPort = freeLoopbackUdpPort();
        int guestPort = 7002;
        try (GuestRun vm = new GuestRun(
                        "run",
                        "--publish",
                        "127.0.0.1:" + hostPort + ":" + guestPort + "/udp",
                        Examples.wasm("wasmedge_udp").toString(),
                        "--",
                        String.valueOf(guestPort),
                        "1000");
                DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            vm.awaitReady("ready\n", READY_TIMEOUT_SECONDS);
            client.setSoTimeout(2000);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), hostPort);
            Random random = new Random(9);
            // sizes up to the largest payload of one Ethernet frame (lwIP is built without fragmentation)
            for (int size : new int[] {1, 5, 512, 1472}) {
                byte[] msg = new byte[size];
                random.nextBytes(msg);
                assertArrayEquals(msg, udpRoundTrip(client, server, msg), size + "-byte datagram echoed");
            }
            client.send(new DatagramPacket("quit".getBytes(StandardCharsets.US_ASCII), 4, server));
            assertEquals(0, vm.awaitStatus(EXIT_TIMEOUT_SECONDS), vm.report());
            String out = vm.out.text();
            assertTrue(out.contains(": 1472 bytes from " + HOST_FROM_GUEST + ":"), vm.report());
            assertTrue(out.contains(": 4 bytes from " + HOST_FROM_GUEST + ":"), vm.report());
        }
    }

    /** UDP may drop a datagram: resend a few times before calling it lost. */
    private static byte[] udpRoundTrip(DatagramSocket client, InetSocketAddress server, byte[] msg) throws IOException {
        byte[] buf = new byte[2048];
        for (int attempt = 0; attempt < 10; attempt++) {
            client.send(new DatagramPacket(msg, msg.length, server));
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            try {
                client.receive(reply);
                return Arrays.copyOf(reply.getData(), reply.getLength());
            } catch (SocketTimeoutException lost) {
                // send again
            }
        }
        throw new IOException("no echo of a " + msg.length + "-byte datagram after 10 tries");
    }

    @Test
    void clientSideChecksAgainstHostServers() throws Exception {
        try (TcpEchoServer tcp = new TcpEchoServer();
                UdpEchoServer udp = new UdpEchoServer()) {
            int closedPort = freeLoopbackPort(); // nothing listens there: the guest must see ECONNREFUSED
            Cli.Result r = Cli.run(
                    "run",
                    "--publish",
                    "127.0.0.1:" + freeLoopbackPort() + ":9",
                    "--allow-outbound",
                    "host",
                    Examples.wasm("wasmedge_client_checks").toString(),
                    "--",
                    HOST_FROM_GUEST,
                    String.valueOf(tcp.port()),
                    String.valueOf(closedPort),
                    String.valueOf(udp.port()));
            assertEquals(0, r.status(), r.toString());
            assertTrue(r.out().endsWith("PASSED\n"), r.toString());
            assertFalse(r.out().contains("FAIL"), r.toString());
            assertTrue(tcp.connections() >= 2, "the guest connected to the host's echo server: " + tcp.connections());
        }
    }

    /**
     * sock_getaddrinfo: a VM through lwIP's resolver and the boot configuration's DNS server (QEMU's
     * 10.0.2.3, which forwards to the host's resolv.conf server), a process through net/host's
     * resolver and the host's /etc/resolv.conf server itself. It runs in a network namespace of
     * its own, whose resolv.conf ({@code ip netns exec} mounts /etc/netns/NAME/resolv.conf over
     * /etc/resolv.conf, which QEMU and the process both read) names a DNS responder on its
     * loopback, so no query leaves the namespace: {@link DnsProbe} runs the responder and the
     * guest in one JVM inside the namespace.
     */
    @ParameterizedTest
    @EnumSource(Way.class)
    void namesResolveThroughTheConfiguredDnsServer(Way way) throws Exception {
        String ns = "uwdns" + ProcessHandle.current().pid() + way.isolation;
        Assumptions.assumeTrue(
                run(List.of("ip", "netns", "add", ns)) == 0, "needs root and iproute2 to create a network namespace");
        Path etc = Path.of("/etc/netns", ns);
        try {
            assertEquals(0, run(List.of("ip", "-n", ns, "link", "set", "lo", "up")));
            Files.createDirectories(etc);
            Files.writeString(etc.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
            List<String> cmd = new ArrayList<>(List.of(
                    "ip",
                    "netns",
                    "exec",
                    ns,
                    ProcessHandle.current().info().command().orElse("java"),
                    "-Xss16m",
                    "--enable-native-access=ALL-UNNAMED",
                    "-Duniwasm.home=" + Examples.home(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    DnsProbe.class.getName(),
                    way.name(),
                    Examples.wasm("wasmedge_client_checks").toString()));
            cmd.addAll(List.of(
                    DnsProbe.KNOWN_NAME, DnsProbe.UNKNOWN_NAME, DnsProbe.SILENT_NAME, "localhost", "192.0.2.1"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("resolve " + DnsProbe.KNOWN_NAME + ": " + DnsProbe.KNOWN_ADDRESS + "\n"), out);
            assertTrue(
                    out.contains("resolve " + DnsProbe.UNKNOWN_NAME + ": errno 84\n"),
                    "NXDOMAIN is EAI_NONAME: " + out);
            assertTrue(
                    out.contains("resolve " + DnsProbe.SILENT_NAME + ": errno 84\n"),
                    "no answer is EAI_NONAME: " + out);
            assertTrue(out.contains("resolve localhost: 127.0.0.1\n"), out);
            assertTrue(out.contains("resolve 192.0.2.1: 192.0.2.1\n"), out);
            // localhost and numeric hosts never reach the DNS server
            assertTrue(
                    out.contains("queried: " + DnsProbe.KNOWN_NAME + "," + DnsProbe.UNKNOWN_NAME + ","
                            + DnsProbe.SILENT_NAME + "\n"),
                    out);
            // without --allow-ip-name-lookup: EACCES, and no question reaches the server
            assertTrue(out.contains("without permission: resolve " + DnsProbe.KNOWN_NAME + ": errno 2\n"), out);
            assertTrue(out.contains("without permission: resolve localhost: 127.0.0.1\n"), out);
            assertTrue(out.contains("queried without permission: \n"), out);
        } finally {
            run(List.of("ip", "netns", "delete", ns));
            Files.deleteIfExists(etc.resolve("resolv.conf"));
            Files.deleteIfExists(etc);
        }
    }

    /**
     * Runs in the test's network namespace: a DNS responder on 127.0.0.1:53 (A record for
     * KNOWN_NAME, NXDOMAIN for other names, no answer at all for SILENT_NAME), then the guest
     * resolving KNOWN_NAME and localhost without --allow-ip-name-lookup (its lines prefixed
     * "without permission: ") and the names given with it; prints the guest's stdout and the
     * names queried, in order, after each run.
     */
    static final class DnsProbe {
        static final String KNOWN_NAME = "uniwasm-test.example";
        static final String KNOWN_ADDRESS = "192.0.2.77";
        static final String UNKNOWN_NAME = "nothing-here.example";
        static final String SILENT_NAME = "silent.example";

        /** args: the Way's name, the app, the names to resolve with permission */
        public static void main(String[] args) throws Exception {
            Way way = Way.valueOf(args[0]);
            args = Arrays.copyOfRange(args, 1, args.length);
            // a network without the name-lookup flag: a VM's published port, a process's outbound rule
            // (a process has no --publish); the rule's address is a documentation one nobody reaches
            List<String> network = way == Way.VM
                    ? List.of("--publish", "127.0.0.1:18999:9")
                    : List.of("--allow-outbound", "192.0.2.1:9");
            List<String> queried = Collections.synchronizedList(new ArrayList<>());
            try (DatagramSocket dns = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53))) {
                Thread responder = new Thread(() -> answer(dns, queried), "dns");
                responder.setDaemon(true);
                responder.start();
                ByteArrayOutputStream refused = new ByteArrayOutputStream();
                List<String> refusedArgs = new ArrayList<>(List.of("run", "--isolation", way.isolation));
                refusedArgs.addAll(network);
                refusedArgs.addAll(List.of(args[0], "--", "resolve", KNOWN_NAME, "localhost"));
                int status = Main.run(
                        refusedArgs.toArray(String[]::new),
                        new ByteArrayInputStream(new byte[0]),
                        refused,
                        System.err,
                        -1);
                refused.toString(StandardCharsets.UTF_8)
                        .lines()
                        .forEach(l -> System.out.println("without permission: " + l));
                System.out.println("queried without permission: " + distinct(queried));
                queried.clear();
                if (status != 0) System.exit(status);
                List<String> runArgs = new ArrayList<>(List.of("run", "--isolation", way.isolation));
                runArgs.addAll(network);
                runArgs.addAll(List.of("--allow-ip-name-lookup", args[0], "--", "resolve"));
                runArgs.addAll(List.of(args).subList(1, args.length));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                status = Main.run(
                        runArgs.toArray(String[]::new), new ByteArrayInputStream(new byte[0]), out, System.err, -1);
                System.out.print(out.toString(StandardCharsets.UTF_8));
                System.out.println("queried: " + distinct(queried));
                System.out.flush();
                System.exit(status);
            }
        }

        /** The names in order of their first query (lwIP retries silent names). */
        private static String distinct(List<String> queried) {
            List<String> distinct = new ArrayList<>();
            synchronized (queried) {
                for (String q : queried) if (!distinct.contains(q)) distinct.add(q);
            }
            return String.join(",", distinct);
        }

        private static void answer(DatagramSocket dns, List<String> queried) {
            byte[] buf = new byte[512];
            while (!dns.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                try {
                    dns.receive(packet);
                } catch (IOException e) {
                    return;
                }
                ByteBuffer q = ByteBuffer.wrap(packet.getData(), 0, packet.getLength());
                StringBuilder name = new StringBuilder();
                int at = 12;
                while (at < q.limit() && q.get(at) != 0) {
                    int len = q.get(at) & 0xff;
                    if (!name.isEmpty()) name.append('.');
                    name.append(new String(packet.getData(), at + 1, len, StandardCharsets.US_ASCII));
                    at += 1 + len;
                }
                int questionEnd = at + 5; // the root label, QTYPE, QCLASS
                if (questionEnd > q.limit()) continue;
                int type = q.getShort(at + 1) & 0xffff;
                queried.add(name.toString());
                if (name.toString().equals(SILENT_NAME)) continue;
                boolean known = name.toString().equals(KNOWN_NAME) && type == 1;
                ByteBuffer r = ByteBuffer.allocate(512);
                r.putShort(q.getShort(0)); // the query's id
                r.putShort((short) (known ? 0x8180 : 0x8183)); // a response, recursion available; NXDOMAIN
                r.putShort((short) 1)
                        .putShort((short) (known ? 1 : 0))
                        .putShort((short) 0)
                        .putShort((short) 0);
                r.put(packet.getData(), 12, questionEnd - 12);
                if (known) {
                    r.putShort((short) 0xc00c)
                            .putShort((short) 1)
                            .putShort((short) 1)
                            .putInt(60)
                            .putShort((short) 4);
                    for (String part : KNOWN_ADDRESS.split("\\.")) r.put((byte) Integer.parseInt(part));
                }
                try {
                    dns.send(new DatagramPacket(r.array(), r.position(), packet.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }
    }

    private static int run(List<String> cmd) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException notInstalled) {
            return -1;
        }
    }

    /** A TCP echo server on 127.0.0.1: echoes until the client ends its stream, then closes. */
    private static final class TcpEchoServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        private final Thread acceptor;
        private volatile int connections;

        TcpEchoServer() throws IOException {
            acceptor = new Thread(this::serve, "tcp-echo");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections++;
                    Thread t = new Thread(() -> echo(s), "tcp-echo-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private static void echo(Socket s) {
            try (s) {
                s.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
                s.getInputStream().transferTo(s.getOutputStream());
            } catch (IOException e) {
                // the guest's checks report what went wrong on their side
            }
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return connections;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** A UDP echo server on 127.0.0.1: sends every datagram back to its sender. */
    private static final class UdpEchoServer implements AutoCloseable {
        private final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());

        UdpEchoServer() throws SocketException {
            Thread t = new Thread(this::serve, "udp-echo");
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            byte[] buf = new byte[65536];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    socket.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static int freeLoopbackUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
