package dev.uniwasm.bench.containers;

import dev.uniwasm.bench.core.BenchException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A containerd of the suite's own: its root, state, socket and configuration under one folder (the
 * CRI plugin off), so the host's containerd, if any, is not touched, and {@code ctr} calls on it with
 * time limits. {@link #close} stops it; the suite removes its containers first (a shim outlives
 * containerd and keeps its container running).
 *
 * <p>It runs in a private mount namespace ({@code unshare --mount --propagation private}) whose
 * cgroup2 mounts beside cgroup v1 ones (the hybrid layout's {@code /sys/fs/cgroup/unified}) are
 * lazily unmounted: crun refuses hybrid hosts, and its shims, runtimes and containers inherit that
 * namespace, so every runtime sees cgroup v1 alone while the host's mounts stay as they are (checked
 * after the start). Container rootfs mounts live in that namespace too.
 */
final class Containerd implements AutoCloseable {
    static final String NAMESPACE = "uwbench";
    private static final long SOCKET_TIMEOUT_SECONDS = 30;
    private static final long STOP_TIMEOUT_SECONDS = 20;

    /** One ctr call: status, output and wall time. */
    record Ctr(List<String> args, int status, String out, String err, long wallNanos) {
        boolean ok() {
            return status == 0;
        }

        String describe() {
            return "ctr " + String.join(" ", args) + ": status " + status + (err.isBlank() ? "" : ": " + err.strip());
        }
    }

    private final Path dir;
    private final Path socket;
    private final Process process;

    private Containerd(Path dir, Path socket, Process process, List<String> hidden) {
        this.dir = dir;
        this.socket = socket;
        this.process = process;
        this.hidden = List.copyOf(hidden);
    }

    private static final String CGROUP_ROOT = "/sys/fs/cgroup";

    private final List<String> hidden;

    /** The containerd command line {@link #start} runs in its mount namespace, for the report. */
    static List<String> commandLine(Path dir) {
        return List.of("containerd", "--config", dir.resolve("config.toml").toString());
    }

    /**
     * The whole command: a private mount namespace, the {@code hide} mounts unmounted there, then
     * containerd (exec'd, so the process started is containerd itself).
     */
    static List<String> namespacedCommandLine(Path dir, List<String> hide) {
        StringBuilder script = new StringBuilder();
        for (String m : hide) {
            if (m.contains("'")) throw new BenchException("cgroup mount point " + m + " has a single quote");
            script.append("umount -l '").append(m).append("' || exit 1; ");
        }
        script.append("exec \"$@\"");
        List<String> cmd = new ArrayList<>(
                List.of("unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script.toString(), "sh"));
        cmd.addAll(commandLine(dir));
        return cmd;
    }

    /** The cgroup2 mounts to hide: those under /sys/fs/cgroup when it is not itself cgroup2 (the hybrid layout). */
    static List<String> hybridCgroup2(String mountinfo) {
        List<String> v2 = Mounts.cgroup2(mountinfo);
        if (v2.contains(CGROUP_ROOT)) return List.of();
        return v2.stream()
                .filter(m -> m.startsWith(CGROUP_ROOT + "/"))
                .distinct()
                .toList();
    }

    /** The cgroup2 mounts hidden from containerd and what it starts (empty on a host that is not hybrid). */
    List<String> hidden() {
        return hidden;
    }

    /** Starts containerd with its state under {@code dir} (made afresh) and waits for its socket. */
    static Containerd start(Path dir) {
        Path socket = dir.resolve("containerd.sock");
        try {
            if (Files.exists(dir)) {
                Mounts.requireNoneUnder(dir, "a previous run's containerd folder " + dir);
                ScratchImage.deleteTree(dir);
            }
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve("config.toml"),
                    "version = 2\nroot = \"" + dir.resolve("root") + "\"\nstate = \"" + dir.resolve("state")
                            + "\"\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n[grpc]\n  address = \"" + socket
                            + "\"\n");
            String hostMounts = Mounts.read("self");
            List<String> hide = hybridCgroup2(hostMounts);
            Process p = new ProcessBuilder(namespacedCommandLine(dir, hide))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("containerd.log").toFile())
                    .redirectInput(new File("/dev/null"))
                    .start();
            Containerd c = new Containerd(dir, socket, p, hide);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SOCKET_TIMEOUT_SECONDS);
            while (!Files.exists(socket)) {
                if (!p.isAlive())
                    throw new BenchException("containerd ended with status " + p.exitValue() + " ("
                            + dir.resolve("containerd.log") + ")");
                if (System.nanoTime() > deadline) {
                    c.close();
                    throw new BenchException("containerd made no socket within " + SOCKET_TIMEOUT_SECONDS + " s ("
                            + dir.resolve("containerd.log") + ")");
                }
                Thread.sleep(50);
            }
            try {
                c.checkNamespace(hostMounts);
            } catch (BenchException e) {
                c.close();
                throw e;
            }
            return c;
        } catch (IOException e) {
            throw new BenchException("cannot start containerd in " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while starting containerd");
        }
    }

    /** Containerd is in a mount namespace of its own without the hidden mounts, and the host still has them. */
    private void checkNamespace(String hostMountsBefore) throws IOException {
        Path own = Path.of("/proc/self/ns/mnt"), its = Path.of("/proc", Long.toString(pid()), "ns", "mnt");
        if (Files.readSymbolicLink(own).equals(Files.readSymbolicLink(its))) {
            throw new BenchException(
                    "containerd (pid " + pid() + ") shares the bench's mount namespace: unshare --mount did not take");
        }
        List<String> seen = Mounts.cgroup2(Mounts.read(Long.toString(pid())));
        List<String> still = hidden.stream().filter(seen::contains).toList();
        if (!still.isEmpty())
            throw new BenchException(
                    "containerd still sees the cgroup2 mounts " + still + " that were to be hidden from it");
        List<String> host = Mounts.cgroup2(Mounts.read("self"));
        if (!host.containsAll(Mounts.cgroup2(hostMountsBefore))) {
            throw new BenchException("the host's cgroup2 mounts changed while containerd started: "
                    + Mounts.cgroup2(hostMountsBefore) + " -> " + host);
        }
    }

    Path socket() {
        return socket;
    }

    long pid() {
        return process.pid();
    }

    /** {@code ctr --address SOCKET --namespace NAMESPACE ARGS...}, killed after {@code timeoutSeconds}. */
    Ctr ctr(List<String> args, long timeoutSeconds) {
        List<String> command =
                new ArrayList<>(List.of("ctr", "--address", socket.toString(), "--namespace", NAMESPACE));
        command.addAll(args);
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder(command)
                    .redirectInput(new File("/dev/null"))
                    .start();
            CompletableFuture<String> out = drain(p.getInputStream()), err = drain(p.getErrorStream());
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return new Ctr(
                        args,
                        -1,
                        out.join(),
                        "did not end within " + timeoutSeconds + " s; " + err.join(),
                        System.nanoTime() - t0);
            }
            return new Ctr(args, p.exitValue(), out.join(), err.join(), System.nanoTime() - t0);
        } catch (IOException e) {
            throw new BenchException("cannot run ctr: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while running ctr " + String.join(" ", args));
        }
    }

    Ctr require(List<String> args, long timeoutSeconds) {
        Ctr c = ctr(args, timeoutSeconds);
        if (!c.ok()) throw new BenchException(c.describe());
        return c;
    }

    private static CompletableFuture<String> drain(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (in) {
                        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "";
                    }
                },
                Thread::startVirtualThread);
    }

    /** Stops containerd (SIGTERM, then SIGKILL after {@value #STOP_TIMEOUT_SECONDS} s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    Path dir() {
        return dir;
    }
}
