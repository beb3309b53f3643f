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
 * N native http_server processes (the same server code on helper-made POSIX stand-ins for its WASI
 * calls), started by one shell through the command runner so that the report holds the command
 * line; each gets its directory and listener from WASI_DIR and WASI_TCPLISTEN. The shell waits for
 * them and is counted as their supervisor.
 */
final class NativeFleet implements AutoCloseable {
    /** Loops over the ports: "$0" is the server, $1 the guest root, $2 the first port, $3 the count. */
    private static final String SPAWN_ALL = "i=0; while [ $i -lt \"$3\" ]; do "
            + "WASI_TCPLISTEN=127.0.0.1:$(($2 + i)) \"$0\" \"$1\" >/dev/null 2>&1 & i=$((i + 1)); done; wait";

    private static final long RETRY_MILLIS = 20;

    private final PortBlock ports;
    private final CompletableFuture<CommandRunner.Outcome> shell;
    private final Thread killOnExit = new Thread(this::killAll, "density-kill-native");

    /** Starts the shell, which starts all servers at once; {@link #awaitAnswer} then checks each. */
    NativeFleet(
            CommandRunner commands, Path server, Path wwwHost, String wwwGuest, PortBlock ports, long limitSeconds) {
        this.ports = ports;
        Runtime.getRuntime().addShutdownHook(killOnExit);
        List<String> cmd = List.of(
                "sh",
                "-c",
                SPAWN_ALL,
                server.toString(),
                wwwGuest,
                Integer.toString(ports.first()),
                Integer.toString(ports.count()));
        Map<String, String> env = Map.of("WASI_DIR", wwwHost + "::" + wwwGuest);
        this.shell = CompletableFuture.supplyAsync(
                () -> commands.run(cmd, null, env, limitSeconds), Thread::startVirtualThread);
    }

    /**
     * Null when instance {@code index} answered its request correctly before {@code timeoutSeconds};
     * it is probed until its listener accepts (a native listener refuses connections until it is
     * there, so a refused connection only means "not yet").
     */
    String awaitAnswer(int index, byte[] body, long timeoutSeconds) {
        return HttpProbe.awaitAnswer(
                ports.port(index),
                body,
                timeoutSeconds,
                RETRY_MILLIS,
                () -> shell.isDone()
                        ? "the spawning shell ended: " + shell.join().describeFailure()
                        : null,
                problem -> problem.contains("Connection refused"));
    }

    /** The servers by index and the shell, as a deployment. */
    Deployment deployment(List<String> missing) {
        List<List<Long>> instances = new ArrayList<>();
        Map<Integer, Long> byIndex = servers();
        for (int i = 0; i < ports.count(); i++) {
            Long pid = byIndex.get(i);
            if (pid == null) missing.add("native instance " + i + " (port " + ports.port(i) + ") has no process");
            else instances.add(List.of(pid));
        }
        List<Long> sh =
                ChildProcesses.matching(cmd -> cmd.startsWith("sh -c ") && cmd.contains(SPAWN_ALL.substring(0, 20)))
                        .stream()
                        .map(ChildProcesses.Child::pid)
                        .toList();
        return new Deployment(instances, sh);
    }

    private Map<Integer, Long> servers() {
        Map<Integer, Long> byIndex = new java.util.HashMap<>();
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
            String port = environmentValue(p.pid(), "WASI_TCPLISTEN");
            if (port == null || !port.startsWith("127.0.0.1:")) continue;
            try {
                int index = Integer.parseInt(port.substring("127.0.0.1:".length())) - ports.first();
                if (index >= 0 && index < ports.count()) byIndex.put(index, p.pid());
            } catch (NumberFormatException ignored) {
                // not one of ours
            }
        }
        return byIndex;
    }

    /** A variable from /proc/PID/environ, or null. */
    private static String environmentValue(long pid, String name) {
        try {
            byte[] raw = java.nio.file.Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            for (String kv : new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
                if (kv.startsWith(name + "=")) return kv.substring(name.length() + 1);
            }
        } catch (java.io.IOException gone) {
            // exited meanwhile
        }
        return null;
    }

    @Override
    public void close() {
        for (long pid : servers().values()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        try {
            shell.get(30, TimeUnit.SECONDS);
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

    private void killAll() {
        for (long pid : servers().values()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
