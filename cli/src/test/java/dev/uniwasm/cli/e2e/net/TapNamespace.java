package dev.uniwasm.cli.e2e.net;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace with a TAP device for a guest, made by a test and deleted by {@link
 * #close()}. The namespace's side of the TAP is {@code 10.<net>.1.1/24}, the guest gets {@code
 * 10.<net>.1.2}. With {@code reachableFromHost}, a veth pair ({@code 10.<net>.0.1/30} on the host,
 * {@code .2} in the namespace, which forwards) and a host route to the guest's /24 let the test
 * process itself talk to the guest; all that traffic goes into the namespace only.
 */
final class TapNamespace implements AutoCloseable {
    static final String TAP = "uwtap0";

    final String name;
    final String guestAddress;
    final String gatewayAddress;
    private final String subnet;
    private final String hostVeth;
    private boolean routed;

    private TapNamespace(String name, int net, String hostVeth) {
        this.name = name;
        this.subnet = "10." + net + ".1.0/24";
        this.guestAddress = "10." + net + ".1.2";
        this.gatewayAddress = "10." + net + ".1.1";
        this.hostVeth = hostVeth;
    }

    static boolean root() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    /** {@code net} picks the addresses (10.net.x.y); use a different one per test class. */
    static TapNamespace create(String prefix, int net, boolean reachableFromHost) throws Exception {
        long pid = ProcessHandle.current().pid();
        String veth = reachableFromHost ? "uwv" + net + "h" + (pid % 10000) : null;
        TapNamespace ns = new TapNamespace(prefix + "-" + pid, net, veth);
        if (reachableFromHost && !run("ip", "route", "show", ns.subnet).isBlank()) {
            fail("the host already routes " + ns.subnet + ": this test needs that range for its namespace");
        }
        must("ip", "netns", "add", ns.name);
        try {
            must("ip", "-n", ns.name, "link", "set", "lo", "up");
            must("ip", "netns", "exec", ns.name, "ip", "tuntap", "add", "dev", TAP, "mode", "tap");
            must("ip", "-n", ns.name, "addr", "add", ns.gatewayAddress + "/24", "dev", TAP);
            must("ip", "-n", ns.name, "link", "set", TAP, "up");
            if (reachableFromHost) {
                String inner = "uwv" + net + "n" + (pid % 10000);
                must("ip", "link", "add", veth, "type", "veth", "peer", "name", inner);
                must("ip", "link", "set", inner, "netns", ns.name);
                must("ip", "addr", "add", "10." + net + ".0.1/30", "dev", veth);
                must("ip", "link", "set", veth, "up");
                must("ip", "-n", ns.name, "addr", "add", "10." + net + ".0.2/30", "dev", inner);
                must("ip", "-n", ns.name, "link", "set", inner, "up");
                must("ip", "netns", "exec", ns.name, "sysctl", "-qw", "net.ipv4.ip_forward=1");
                must("ip", "route", "add", ns.subnet, "via", "10." + net + ".0.2");
                ns.routed = true;
            }
        } catch (Throwable t) {
            ns.close();
            throw t;
        }
        return ns;
    }

    /** {@code ip netns exec NAME}, to run a command inside. */
    List<String> exec() {
        return List.of("ip", "netns", "exec", name);
    }

    /** The {@code uniwasm run} flags that put a guest on the TAP device. */
    List<String> runFlags() {
        return List.of("--net", "tap=" + TAP, "--net-address", guestAddress + "/24", "--net-gateway", gatewayAddress);
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish");
        }
        if (p.exitValue() != 0)
            throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
        return out;
    }

    private static void must(String... cmd) throws Exception {
        run(cmd);
    }

    @Override
    public void close() throws Exception {
        List<String> problems = new ArrayList<>();
        if (routed) tryRun(problems, "ip", "route", "del", subnet);
        if (hostVeth != null) {
            // deleting one end removes the pair; it may be gone with the namespace already
            if (Files.exists(Path.of("/sys/class/net", hostVeth))) tryRun(problems, "ip", "link", "del", hostVeth);
        }
        tryRun(problems, "ip", "netns", "del", name);
        if (!problems.isEmpty()) throw new IOException("cleaning up namespace " + name + ": " + problems);
    }

    private static void tryRun(List<String> problems, String... cmd) {
        try {
            run(cmd);
        } catch (Exception e) {
            problems.add(e.getMessage());
        }
    }
}
