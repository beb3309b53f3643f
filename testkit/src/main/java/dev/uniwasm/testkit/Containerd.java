package dev.uniwasm.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A containerd of the caller's own (the bench's containers suite, ContainerdTest, CriTest): its root,
 * state, socket, configuration and log under one folder, so the host's containerd, if any, is not
 * touched, and {@code ctr} calls on it in one containerd namespace, with time limits. The CRI plugin
 * is off ({@link #start}) or on with the caller's runtime entries ({@link #startWithCri}).
 * {@link #close} stops it; the caller removes its containers first (a shim outlives containerd and
 * keeps its container running), and what a failed caller left (a task, a container, a rootfs mount)
 * {@link #close} removes before and after it stops containerd.
 *
 * <p>With {@code privateMounts} (the bench, for crun) it runs in a private mount namespace ({@code
 * unshare --mount --propagation private}) whose cgroup2 mounts beside cgroup v1 ones (the hybrid
 * layout's {@code /sys/fs/cgroup/unified}) are lazily unmounted: crun refuses hybrid hosts, and its
 * shims, runtimes and containers inherit that namespace, so every runtime sees cgroup v1 alone while
 * the host's mounts stay as they are (checked after the start). Container rootfs mounts live in that
 * namespace too. Without it, containerd and what it starts see the host's mounts as they are.
 */
public final class Containerd implements AutoCloseable {
    private static final String LOG = "containerd.log";
    private static final long SOCKET_TIMEOUT_SECONDS = 30;
    private static final long STOP_TIMEOUT_SECONDS = 20;

    /** One ctr call: status, output and wall time. */
    public record Ctr(List<String> args, int status, String out, String err, long wallNanos) {
        public boolean ok() {
            return status == 0;
        }

        public String describe() {
            return "ctr " + String.join(" ", args) + ": status " + status + (err.isBlank() ? "" : ": " + err.strip());
        }
    }

    private final Path dir;
    private final Path socket;
    private final String namespace;
    private final Process process;

    private final boolean privateMounts;

    private Containerd(
            Path dir, Path socket, String namespace, Process process, boolean privateMounts, List<String> hidden) {
        this.dir = dir;
        this.socket = socket;
        this.namespace = namespace;
        this.process = process;
        this.privateMounts = privateMounts;
        this.hidden = List.copyOf(hidden);
    }

    private static final String CGROUP_ROOT = "/sys/fs/cgroup";

    private final List<String> hidden;

    /** The containerd command line {@link #start} runs in its mount namespace, for the report. */
    public static List<String> commandLine(Path dir) {
        return List.of("containerd", "--config", dir.resolve("config.toml").toString());
    }

    /**
     * The whole command: a private mount namespace, the {@code hide} mounts unmounted there, then
     * containerd (exec'd, so the process started is containerd itself).
     */
    public static List<String> namespacedCommandLine(Path dir, List<String> hide) {
        StringBuilder script = new StringBuilder();
        for (String m : hide) {
            if (m.contains("'")) throw new KitException("cgroup mount point " + m + " has a single quote");
            script.append("umount -l '").append(m).append("' || exit 1; ");
        }
        script.append("exec \"$@\"");
        List<String> cmd = new ArrayList<>(
                List.of("unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script.toString(), "sh"));
        cmd.addAll(commandLine(dir));
        return cmd;
    }

    /** The cgroup2 mounts to hide: those under /sys/fs/cgroup when it is not itself cgroup2 (the hybrid layout). */
    public static List<String> hybridCgroup2(String mountinfo) {
        List<String> v2 = Mounts.cgroup2(mountinfo);
        if (v2.contains(CGROUP_ROOT)) return List.of();
        return v2.stream()
                .filter(m -> m.startsWith(CGROUP_ROOT + "/"))
                .distinct()
                .toList();
    }

    /** The cgroup2 mounts hidden from containerd and what it starts (empty on a host that is not hybrid). */
    public List<String> hidden() {
        return hidden;
    }

    /**
     * Starts containerd with its state under {@code dir} (made afresh) and the CRI plugin off, and
     * waits for its socket; its {@code ctr} calls go to {@code namespace}, and {@code environment} is
     * added to its own (the shim passes it on to the runtime).
     */
    public static Containerd start(Path dir, String namespace, boolean privateMounts, Map<String, String> environment) {
        return start(
                dir, namespace, privateMounts, environment, "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n", "");
    }

    /** The containerd namespace the CRI plugin keeps its images and containers in. */
    public static final String CRI_NAMESPACE = "k8s.io";

    /**
     * Starts containerd as {@link #start} does but with its CRI plugin on (served on the same socket,
     * {@link Cri#connect}), its {@code ctr} calls in the CRI's namespace {@value #CRI_NAMESPACE}:
     * {@code sandboxImage} is every pod's sandbox (pause) image, which the caller imports into that
     * namespace before a pod starts; {@code criConfig} is added to the configuration as it is (TOML
     * tables under {@code [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.NAME]}, say). The
     * CNI folders are under {@code dir} and stay empty (the host's CNI set-up is not read): pods use
     * the node's network.
     */
    public static Containerd startWithCri(
            Path dir, boolean privateMounts, Map<String, String> environment, String sandboxImage, String criConfig) {
        if (sandboxImage.contains("\"") || sandboxImage.contains("\\"))
            throw new KitException("sandbox image name " + sandboxImage + " has a quote or backslash");
        String cri = "[plugins.\"io.containerd.grpc.v1.cri\"]\n  sandbox_image = \"" + sandboxImage + "\"\n"
                + "  stream_server_address = \"127.0.0.1\"\n"
                // a sandbox's -998 and a container's own score go no lower than containerd's, which
                // this kit's machines require (lowering it needs a capability their root lacks)
                + "  restrict_oom_score_adj = true\n"
                + "[plugins.\"io.containerd.grpc.v1.cri\".cni]\n  bin_dir = \"" + dir.resolve("cni/bin")
                + "\"\n  conf_dir = \"" + dir.resolve("cni/net.d") + "\"\n" + criConfig;
        return start(dir, CRI_NAMESPACE, privateMounts, environment, "", cri);
    }

    private static Containerd start(
            Path dir,
            String namespace,
            boolean privateMounts,
            Map<String, String> environment,
            String topLevel,
            String plugins) {
        Path socket = dir.resolve("containerd.sock");
        try {
            if (Files.exists(dir)) {
                Mounts.requireNoneUnder(dir, "a previous run's containerd folder " + dir);
                ScratchImage.deleteTree(dir);
            }
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve("config.toml"),
                    "version = 2\nroot = \"" + dir.resolve("root") + "\"\nstate = \"" + dir.resolve("state") + "\"\n"
                            + topLevel + "[grpc]\n  address = \"" + socket + "\"\n" + plugins);
            String hostMounts = Mounts.read("self");
            List<String> hide = privateMounts ? hybridCgroup2(hostMounts) : List.of();
            ProcessBuilder pb = new ProcessBuilder(privateMounts ? namespacedCommandLine(dir, hide) : commandLine(dir))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve(LOG).toFile())
                    .redirectInput(new File("/dev/null"));
            pb.environment().putAll(environment);
            Process p = pb.start();
            Containerd c = new Containerd(dir, socket, namespace, p, privateMounts, hide);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SOCKET_TIMEOUT_SECONDS);
            while (!Files.exists(socket)) {
                if (!p.isAlive())
                    throw new KitException(
                            "containerd ended with status " + p.exitValue() + " (" + dir.resolve(LOG) + ")");
                if (System.nanoTime() > deadline) {
                    c.close();
                    throw new KitException("containerd made no socket within " + SOCKET_TIMEOUT_SECONDS + " s ("
                            + dir.resolve(LOG) + ")");
                }
                Thread.sleep(50);
            }
            try {
                if (privateMounts) c.checkNamespace(hostMounts);
            } catch (KitException e) {
                c.close();
                throw e;
            }
            return c;
        } catch (IOException e) {
            throw new KitException("cannot start containerd in " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KitException("interrupted while starting containerd");
        }
    }

    /** Containerd is in a mount namespace of its own without the hidden mounts, and the host still has them. */
    private void checkNamespace(String hostMountsBefore) throws IOException {
        Path own = Path.of("/proc/self/ns/mnt"), its = Path.of("/proc", Long.toString(pid()), "ns", "mnt");
        if (Files.readSymbolicLink(own).equals(Files.readSymbolicLink(its))) {
            throw new KitException("containerd (pid " + pid()
                    + ") shares its starter's mount namespace: unshare --mount did not take");
        }
        List<String> seen = Mounts.cgroup2(Mounts.read(Long.toString(pid())));
        List<String> still = hidden.stream().filter(seen::contains).toList();
        if (!still.isEmpty())
            throw new KitException(
                    "containerd still sees the cgroup2 mounts " + still + " that were to be hidden from it");
        List<String> host = Mounts.cgroup2(Mounts.read("self"));
        if (!host.containsAll(Mounts.cgroup2(hostMountsBefore))) {
            throw new KitException("the host's cgroup2 mounts changed while containerd started: "
                    + Mounts.cgroup2(hostMountsBefore) + " -> " + host);
        }
    }

    public Path socket() {
        return socket;
    }

    /** The containerd namespace of its {@code ctr} calls (also the cgroup parent and runc root folder of its containers). */
    public String namespace() {
        return namespace;
    }

    public long pid() {
        return process.pid();
    }

    /** containerd's output. */
    public Path log() {
        return dir.resolve(LOG);
    }

    /** {@code ctr --address SOCKET --namespace NAMESPACE}, the start of every ctr command line on it. */
    public List<String> ctrPrefix() {
        return List.of("ctr", "--address", socket.toString(), "--namespace", namespace);
    }

    /** {@code ctr --address SOCKET --namespace NAMESPACE ARGS...}, killed after {@code timeoutSeconds}. */
    public Ctr ctr(List<String> args, long timeoutSeconds) {
        List<String> command = new ArrayList<>(ctrPrefix());
        command.addAll(args);
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder(command)
                    .redirectInput(new File("/dev/null"))
                    .start();
            CompletableFuture<String> out = Commands.drain(p.getInputStream()),
                    err = Commands.drain(p.getErrorStream());
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
            throw new KitException("cannot run ctr: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KitException("interrupted while running ctr " + String.join(" ", args));
        }
    }

    public Ctr require(List<String> args, long timeoutSeconds) {
        Ctr c = ctr(args, timeoutSeconds);
        if (!c.ok()) throw new KitException(c.describe());
        return c;
    }

    /**
     * Stops containerd (SIGTERM, then SIGKILL after {@value #STOP_TIMEOUT_SECONDS} s). Before that,
     * every task still in its namespace is killed and deleted and every container removed (a test
     * that failed half-way leaves them, and their shims would outlive containerd); after it, a
     * rootfs still mounted under its folder in the host's mount namespace is unmounted, so that the
     * folder can be deleted. Best effort and bounded: the caller's own failure is the one to see.
     */
    @Override
    public void close() {
        if (process.isAlive()) removeWhatIsLeft();
        stop();
        if (!privateMounts) unmountWhatIsLeft();
    }

    private void removeWhatIsLeft() {
        for (String task : ids(ctr(List.of("tasks", "ls", "-q"), 20))) {
            ctr(List.of("tasks", "kill", "--all", "--signal", "SIGKILL", task), 20);
            ctr(List.of("tasks", "delete", "--force", task), 30);
        }
        for (String container : ids(ctr(List.of("containers", "ls", "-q"), 20))) {
            ctr(List.of("containers", "delete", container), 30);
        }
    }

    private static List<String> ids(Ctr listing) {
        if (!listing.ok()) return List.of();
        return listing.out()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
    }

    private void unmountWhatIsLeft() {
        List<String> left = new ArrayList<>(Mounts.under(dir));
        // the deepest first, though a lazy unmount of a parent would take its children too
        left.sort(java.util.Comparator.comparingInt(String::length).reversed());
        for (String mount : left) {
            try {
                Commands.PLAIN.require(List.of("umount", "--lazy", mount), 20);
            } catch (KitException gone) {
                // already unmounted with its parent, or busy: the caller's own failure is the one to see
            }
        }
    }

    private void stop() {
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

    public Path dir() {
        return dir;
    }
}
