package dev.uniwasm.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A network namespace with a TAP device for a guest, made by a test or a bench suite and deleted by
 * {@link #close()} (safe to call twice, e.g. again from a shutdown hook). The namespace's side of the
 * TAP is {@code 10.<net>.1.1/24}, the guest gets {@code 10.<net>.1.2}. With {@code
 * reachableFromHost}, a veth pair ({@code 10.<net>.0.1/30} on the host, {@code .2} in the
 * namespace, which forwards) and a host route to the guest's /24 let the caller's own process talk
 * to the guest; all that traffic goes into the namespace only. Needs root.
 */
public final class TapNamespace implements AutoCloseable {
    public static final int PREFIX_LENGTH = 24;
    private static final long TIMEOUT_SECONDS = 30;

    public final String name;
    public final String tap;
    public final String guestAddress;
    public final String gatewayAddress;
    private final Commands commands;
    private final String subnet;
    private final String hostVeth;
    private boolean routed;
    private boolean closed;

    private TapNamespace(Commands commands, String name, String tap, int net, String hostVeth) {
        this.commands = commands;
        this.name = name;
        this.tap = tap;
        this.subnet = "10." + net + ".1.0/" + PREFIX_LENGTH;
        this.guestAddress = "10." + net + ".1.2";
        this.gatewayAddress = "10." + net + ".1.1";
        this.hostVeth = hostVeth;
    }

    public static boolean root() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * The namespace {@code PREFIX-PID} with the TAP device {@code tap}; {@code net} picks the addresses
     * (10.net.x.y): use a different one per caller that may run at the same time. A namespace of that
     * name left by a killed earlier run of the same process id is deleted first.
     */
    public static TapNamespace create(
            Commands commands, String prefix, String tap, int net, boolean reachableFromHost) {
        long pid = ProcessHandle.current().pid();
        String veth = reachableFromHost ? "uwv" + net + "h" + (pid % 10000) : null;
        TapNamespace ns = new TapNamespace(commands, prefix + "-" + pid, tap, net, veth);
        if (Files.exists(Path.of("/run/netns", ns.name))) ns.must("ip", "netns", "del", ns.name);
        if (reachableFromHost && !ns.must("ip", "route", "show", ns.subnet).isBlank()) {
            throw new KitException(
                    "the host already routes " + ns.subnet + ": " + prefix + " needs that range for its namespace");
        }
        ns.must("ip", "netns", "add", ns.name);
        try {
            ns.must("ip", "-n", ns.name, "link", "set", "lo", "up");
            ns.must("ip", "netns", "exec", ns.name, "ip", "tuntap", "add", "dev", tap, "mode", "tap");
            ns.must("ip", "-n", ns.name, "addr", "add", ns.gatewayAddress + "/" + PREFIX_LENGTH, "dev", tap);
            ns.must("ip", "-n", ns.name, "link", "set", tap, "up");
            if (reachableFromHost) {
                String inner = "uwv" + net + "n" + (pid % 10000);
                ns.must("ip", "link", "add", veth, "type", "veth", "peer", "name", inner);
                ns.must("ip", "link", "set", inner, "netns", ns.name);
                ns.must("ip", "addr", "add", "10." + net + ".0.1/30", "dev", veth);
                ns.must("ip", "link", "set", veth, "up");
                ns.must("ip", "-n", ns.name, "addr", "add", "10." + net + ".0.2/30", "dev", inner);
                ns.must("ip", "-n", ns.name, "link", "set", inner, "up");
                ns.must("ip", "netns", "exec", ns.name, "sysctl", "-qw", "net.ipv4.ip_forward=1");
                ns.must("ip", "route", "add", ns.subnet, "via", "10." + net + ".0.2");
                ns.routed = true;
            }
        } catch (RuntimeException e) {
            try {
                ns.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return ns;
    }

    /** {@code ip netns exec NAME}, to run a command inside. */
    public List<String> exec() {
        return List.of("ip", "netns", "exec", name);
    }

    /** {@code ip netns exec NAME} followed by {@code command}. */
    public List<String> exec(List<String> command) {
        List<String> all = new ArrayList<>(exec());
        all.addAll(command);
        return all;
    }

    /** The {@code uniwasm run} flags that put a guest on the TAP device. */
    public List<String> runFlags() {
        return List.of(
                "--net",
                "tap=" + tap,
                "--net-address",
                guestAddress + "/" + PREFIX_LENGTH,
                "--net-gateway",
                gatewayAddress);
    }

    private String must(String... cmd) {
        return commands.require(List.of(cmd), TIMEOUT_SECONDS);
    }

    /** Deletes the route, the veth pair and the namespace (with it the TAP device); what failed is one exception. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<String> problems = new ArrayList<>();
        if (routed) tryRun(problems, "ip", "route", "del", subnet);
        // deleting one end removes the pair; it may be gone with the namespace already
        if (hostVeth != null && Files.exists(Path.of("/sys/class/net", hostVeth)))
            tryRun(problems, "ip", "link", "del", hostVeth);
        if (Files.exists(Path.of("/run/netns", name))) tryRun(problems, "ip", "netns", "del", name);
        if (!problems.isEmpty()) throw new KitException("cleaning up network namespace " + name + ": " + problems);
    }

    private void tryRun(List<String> problems, String... cmd) {
        try {
            must(cmd);
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
    }
}
