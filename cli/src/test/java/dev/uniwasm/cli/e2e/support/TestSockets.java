package dev.uniwasm.cli.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host side of the network tests: a client socket with timeouts, exact reads, echo transfers. */
public final class TestSockets {
    public static final int TIMEOUT_MILLIS = 30_000;

    private TestSockets() {}

    /** A TCP port on 127.0.0.1 that was free a moment ago (for --publish). */
    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A connection to server with connect and read timeouts, Nagle off. */
    public static Socket connect(InetSocketAddress server) throws IOException {
        Socket s = new Socket();
        s.connect(server, TIMEOUT_MILLIS);
        s.setSoTimeout(TIMEOUT_MILLIS);
        s.setTcpNoDelay(true);
        return s;
    }

    public static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw new IOException("connection ended after " + b.length + " of " + n + " bytes");
        return b;
    }

    /** Writes all of data on another thread, then half-closes, while reading the echo to its end. */
    public static byte[] echoWhileWriting(Socket s, byte[] data) throws Exception {
        Thread writer = new Thread(
                () -> {
                    try {
                        s.getOutputStream().write(data);
                        s.shutdownOutput();
                    } catch (IOException e) {
                        // the read below then comes up short and the assertion says so
                    }
                },
                "echo-writer");
        writer.start();
        byte[] echoed = s.getInputStream().readAllBytes();
        writer.join(TIMEOUT_MILLIS);
        return echoed;
    }

    /**
     * A client inside whatever {@code prefix} puts it in ({@code ip netns exec NS}, {@code nsenter
     * -t PID -n}; none: the test's own network namespace), where the test process cannot go:
     * bash connects to 127.0.0.1:port (retrying while the server starts, 10 s at most), sends
     * "ping" and returns what came back.
     */
    public static String pingFrom(List<String> prefix, int port) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                "timeout",
                "30",
                "bash",
                "-c",
                "for i in $(seq 100); do exec 3<>/dev/tcp/127.0.0.1/" + port
                        + " 2>/dev/null && break; sleep 0.1; done; printf ping >&3; head -c 4 <&3"));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not end within 40 s");
        }
        return out;
    }

    /**
     * As {@link #pingFrom}, for a server behind QEMU's user network (a VM container's forward): the
     * forward accepts as soon as QEMU runs and closes the connection while the guest is not
     * listening yet, so the whole exchange is retried (every 0.2 s, 100 times at most) until the
     * echo comes back.
     */
    public static String pingForwarded(List<String> prefix, int port) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                "timeout",
                "60",
                "bash",
                "-c",
                "trap '' PIPE; for i in $(seq 100); do if exec 3<>/dev/tcp/127.0.0.1/" + port
                        + " 2>/dev/null; then printf ping >&3; r=$(timeout 5 head -c 4 <&3); exec 3<&-; if [ \"$r\" = ping ]; then "
                        + "printf ping; exit 0; fi; fi; sleep 0.2; done"));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(70, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not end within 70 s");
        }
        return out;
    }
}
