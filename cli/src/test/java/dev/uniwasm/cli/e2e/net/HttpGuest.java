package dev.uniwasm.cli.e2e.net;

import dev.uniwasm.cli.Main;
import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.Way;
import dev.uniwasm.monitor.WatchedOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * examples/http_server.wasm running under {@code uniwasm run} in a JVM of its own (so that it can
 * be started inside a network namespace with {@code ip netns exec}), either way ({@link Way}): a VM
 * gets a control socket for the kernel's memory counters; a process has none yet, and its open
 * sockets are counted from /proc instead. Closing it stops the JVM, whose shutdown hook kills QEMU
 * (a process dies with it: PR_SET_PDEATHSIG).
 */
final class HttpGuest implements AutoCloseable {
    static final long READY_TIMEOUT_SECONDS = 240;
    private static final Pattern STATS = Pattern.compile("stats frames=(\\d+) heap=(\\d+) sockets=(\\d+)");

    /** The kernel's counters: frames allocated since boot, heap bytes in use, open TCP sockets. */
    record Stats(long frames, long heap, long sockets) {}

    private final Way way;
    private final Process process;
    private final WatchedOutput out;
    private final WatchedOutput err;
    private final Path controlSocket;
    private final Path workDir;

    private HttpGuest(Way way, Process process, Path controlSocket, Path workDir) {
        this.way = way;
        this.process = process;
        this.controlSocket = controlSocket;
        this.workDir = workDir;
        out = WatchedOutput.of(process.getInputStream(), "http-guest-stdout");
        err = WatchedOutput.of(process.getErrorStream(), "http-guest-stderr");
    }

    /**
     * Starts {@code uniwasm run --isolation WAY RUN_ARGS... http_server.wasm -- SERVER_ARGS...},
     * prefixed by {@code wrapper} (e.g. {@code ip netns exec NS}; empty for none).
     */
    static HttpGuest start(Way way, List<String> wrapper, List<String> runArgs, List<String> serverArgs)
            throws Exception {
        Path wasm = Examples.wasm("http_server");
        Path workDir = Files.createTempDirectory("uniwasm-http-guest-");
        Path control = workDir.resolve("control.sock");
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(
                "-Xss16m",
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-Duniwasm.home=" + Examples.home(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(way.command("run")));
        if (way == Way.VM) cmd.addAll(List.of("--control-socket", control.toString()));
        cmd.addAll(runArgs);
        cmd.add(wasm.toString());
        cmd.add("--");
        cmd.addAll(serverArgs);
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        return new HttpGuest(way, p, control, workDir);
    }

    /** Waits for the server's "ready" line; false when it did not come in time or the run ended. */
    boolean awaitReady() throws InterruptedException {
        if (!out.awaitContains("ready fd ", TimeUnit.SECONDS.toMillis(READY_TIMEOUT_SECONDS), process.onExit()))
            return false;
        // the control socket appears once QEMU is connected, before the app prints anything
        return way != Way.VM || Files.exists(controlSocket);
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * The server's open TCP sockets, the listener included: the kernel's count in a VM; in a process
     * its socket descriptors (/proc/PID/fd; the process is not dumpable, so reading that takes root,
     * and without it the caller's check is skipped as an assumption).
     */
    long openSockets() throws IOException {
        if (way == Way.VM) return stats().sockets();
        ProcessHandle app = process.descendants()
                .filter(h -> !h.info().command().orElse("").endsWith("/java"))
                .findFirst()
                .orElseThrow(() -> new IOException("the app's process is gone: " + report()));
        Path fds = Path.of("/proc", String.valueOf(app.pid()), "fd");
        Assumptions.assumeTrue(
                Files.isReadable(fds), "cannot read " + fds + " (the process is not dumpable: needs root)");
        try (var links = Files.list(fds)) {
            return links.filter(l -> {
                        try {
                            return Files.readSymbolicLink(l).toString().startsWith("socket:");
                        } catch (IOException closedMeanwhile) {
                            return false;
                        }
                    })
                    .count();
        }
    }

    /** Asks the kernel for its counters through {@code --control-socket} (a VM only: README.md, "Ways of running"). */
    Stats stats() throws IOException {
        if (way != Way.VM) throw new IllegalStateException("a process has no --control-socket yet");
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(controlSocket));
            ch.write(ByteBuffer.wrap("stats\n".getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(256);
            while (ch.read(b) > 0) {
                b.flip();
                while (b.hasRemaining()) {
                    byte c = b.get();
                    if (c == '\n') {
                        String text = line.toString(StandardCharsets.US_ASCII);
                        Matcher m = STATS.matcher(text);
                        if (!m.matches()) throw new IOException("unexpected control answer: " + text);
                        return new Stats(
                                Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
                    }
                    line.write(c);
                }
                b.clear();
            }
            throw new IOException("the control socket closed without an answer");
        }
    }

    String report() {
        return (process.isAlive() ? "(running)" : "exit status " + process.exitValue()) + "\n--- stdout ---\n"
                + out.text() + "--- stderr ---\n" + err.text();
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM: the JVM's shutdown hook kills QEMU
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(controlSocket);
        Files.deleteIfExists(workDir);
    }
}
