package dev.uniwasm.bench.density;

import dev.uniwasm.bench.core.CommandRunner;
import dev.uniwasm.bench.core.HttpProbe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * N instances the plain way, one {@code ./uniwasm run} each: a JVM per VM. For comparison with one
 * supervising JVM at small N only: each JVM costs about 100 MB.
 */
final class PlainRunFleet implements AutoCloseable {
    private static final long RETRY_MILLIS = 200;

    private final CommandRunner commands;
    private final Path launcher;
    private final Path image;
    private final long memoryMib;
    private final PortBlock ports;
    private final long limitSeconds;
    private final List<CompletableFuture<CommandRunner.Outcome>> runs = new ArrayList<>();
    private final Thread killOnExit = new Thread(this::killAll, "density-kill-plain");

    PlainRunFleet(
            CommandRunner commands, Path launcher, Path image, long memoryMib, PortBlock ports, long limitSeconds) {
        this.commands = commands;
        this.launcher = launcher;
        this.image = image;
        this.memoryMib = memoryMib;
        this.ports = ports;
        this.limitSeconds = limitSeconds;
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts {@code uniwasm run} of instance {@code index} and probes its published port until the
     * server answers. Before the guest listens, QEMU's user-mode network accepts the host's connection
     * and then drops it, so a failed probe only means "not yet" while the command runs.
     */
    String startAndCheck(int index, byte[] body, long timeoutSeconds) {
        int port = ports.port(index);
        List<String> cmd = List.of(
                launcher.toString(),
                "run",
                "--memory",
                memoryMib + "M",
                "--tcplisten",
                "0.0.0.0:" + UniwasmFleet.GUEST_PORT,
                "--publish",
                port + ":" + UniwasmFleet.GUEST_PORT,
                image.toString());
        CompletableFuture<CommandRunner.Outcome> run = CompletableFuture.supplyAsync(
                () -> commands.run(cmd, null, Map.of(), limitSeconds), Thread::startVirtualThread);
        synchronized (runs) {
            runs.add(run);
        }
        return HttpProbe.awaitAnswer(
                port,
                body,
                timeoutSeconds,
                RETRY_MILLIS,
                () -> run.isDone() ? "uniwasm run ended: " + run.join().describeFailure() : null,
                problem -> true);
    }

    /** Each instance's JVM and QEMU; no shared processes. */
    Deployment deployment(List<String> missing) {
        List<ChildProcesses.Child> jvms = ChildProcesses.matching(cmd -> cmd.contains("dev.uniwasm.cli.Main run "));
        List<ChildProcesses.Child> qemus = ChildProcesses.matching(cmd -> cmd.startsWith("qemu-system"));
        List<List<Long>> instances = new ArrayList<>();
        for (int i = 0; i < ports.count(); i++) {
            String publish = "--publish " + ports.port(i) + ":";
            int port = ports.port(i);
            Long jvm = jvms.stream()
                    .filter(c -> c.commandLine().contains(publish))
                    .map(ChildProcesses.Child::pid)
                    .findFirst()
                    .orElse(null);
            Long qemu = qemus.stream()
                    .filter(c -> UniwasmFleet.forwardedPort(c.commandLine()) == port)
                    .map(ChildProcesses.Child::pid)
                    .findFirst()
                    .orElse(null);
            if (jvm == null || qemu == null)
                missing.add("plain instance " + i + " (port " + port + ") has no " + (jvm == null ? "JVM" : "QEMU"));
            else instances.add(List.of(jvm, qemu));
        }
        return new Deployment(instances, List.of());
    }

    /** SIGTERM to each JVM, whose shutdown hook stops its QEMU; then whatever is left is killed. */
    @Override
    public void close() {
        for (ChildProcesses.Child c : mine()) {
            if (c.commandLine().contains("dev.uniwasm.cli.Main"))
                ProcessHandle.of(c.pid()).ifPresent(ProcessHandle::destroy);
        }
        List<CompletableFuture<CommandRunner.Outcome>> all;
        synchronized (runs) {
            all = List.copyOf(runs);
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // killed below
        }
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and does the same
        }
    }

    /** This fleet's JVMs and QEMUs (found by their ports). */
    private List<ChildProcesses.Child> mine() {
        List<ChildProcesses.Child> found = new ArrayList<>();
        for (ChildProcesses.Child c : ChildProcesses.matching(
                cmd -> cmd.contains("dev.uniwasm.cli.Main run ") || cmd.startsWith("qemu-system"))) {
            int port = c.commandLine().startsWith("qemu-system")
                    ? UniwasmFleet.forwardedPort(c.commandLine())
                    : publishedPort(c.commandLine());
            if (port >= ports.first() && port < ports.first() + ports.count()) found.add(c);
        }
        return found;
    }

    private static int publishedPort(String cmd) {
        int at = cmd.indexOf("--publish ");
        if (at < 0) return -1;
        int from = at + "--publish ".length();
        int colon = cmd.indexOf(':', from);
        try {
            return colon < 0 ? -1 : Integer.parseInt(cmd.substring(from, colon));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void killAll() {
        for (ChildProcesses.Child c : mine()) ProcessHandle.of(c.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
}
