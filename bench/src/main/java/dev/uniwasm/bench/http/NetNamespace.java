package dev.uniwasm.bench.http;

import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A network namespace made for the suite and deleted by {@link #close()}, holding one TAP device
 * for the VM under test ({@code 10.150.1.1/24} on the namespace's side, the guest at
 * {@code 10.150.1.2}). wrk and curl run inside it, so no benchmark traffic leaves it; the host
 * process server listens on the namespace's own loopback. Needs root.
 */
final class NetNamespace implements AutoCloseable {
    static final String TAP = "uwbtap0";
    static final String SUBNET_PREFIX = "10.150.1.";
    static final String GATEWAY = SUBNET_PREFIX + "1";
    static final String GUEST = SUBNET_PREFIX + "2";
    static final int PREFIX_LENGTH = 24;
    private static final long TIMEOUT_SECONDS = 30;

    final String name;
    private final CommandRunner commands;
    private boolean closed;

    private NetNamespace(String name, CommandRunner commands) {
        this.name = name;
        this.commands = commands;
    }

    static boolean root() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static NetNamespace create(CommandRunner commands) {
        NetNamespace ns =
                new NetNamespace("uwbench-http-" + ProcessHandle.current().pid(), commands);
        if (Files.exists(Path.of("/run/netns", ns.name))) ns.close(); // left over by a killed run of this process id
        ns.closed = false;
        ns.must("ip", "netns", "add", ns.name);
        try {
            ns.must("ip", "-n", ns.name, "link", "set", "lo", "up");
            ns.must("ip", "netns", "exec", ns.name, "ip", "tuntap", "add", "dev", TAP, "mode", "tap");
            ns.must("ip", "-n", ns.name, "addr", "add", GATEWAY + "/" + PREFIX_LENGTH, "dev", TAP);
            ns.must("ip", "-n", ns.name, "link", "set", TAP, "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** {@code ip netns exec NAME} followed by {@code command}. */
    List<String> exec(List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(command);
        return all;
    }

    private void must(String... cmd) {
        commands.require(List.of(cmd), null, TIMEOUT_SECONDS);
    }

    /** Deletes the namespace (and with it the TAP device). Safe to call twice. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (!Files.exists(Path.of("/run/netns", name))) return;
        CommandRunner.Outcome o = commands.run(List.of("ip", "netns", "del", name), null, TIMEOUT_SECONDS);
        if (!o.ok()) throw new BenchException("cannot delete network namespace " + name + ": " + o.describeFailure());
    }
}
