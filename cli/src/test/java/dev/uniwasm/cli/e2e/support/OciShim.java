package dev.uniwasm.cli.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * uniwasm-runtime driven as containerd's runc shim drives it, through the stand-in
 * {@code native/oci_shim.c}, for the OCI runtime tests. One per test class, for its folder (bundles
 * in {@code bundles/ID}, the runtime's state in {@code runtime-root}) and the cgroup its containers
 * live under in every hierarchy. It owns the shim (compiled once per JVM), a bundle's config.json,
 * oci_shim started on a bundle and its {@link Run}, the runtime called directly ({@link Call}), a
 * container stopped after a failed check ({@link #withContainer}), and the check that nothing of a
 * deleted container is left.
 */
public final class OciShim {
    /** Every namespace type uniwasm-runtime creates, as containerd's default spec lists them (cgroup too). */
    public static final String ALL_NEW = "[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},"
            + "{\"type\":\"uts\"},{\"type\":\"mount\"},{\"type\":\"cgroup\"}]";

    private static final Pattern LOG_ERROR =
            Pattern.compile("^\\{\"level\":\"error\",\"msg\":\"(.*)\",\"time\":\"[^\"]*\"}$");

    /** The compiled oci_shim, shared by every test class of this JVM. */
    private static Path compiled;

    private final Path dir, runtime, root, shim;
    private final String cgroupParent;

    private OciShim(Path dir, String cgroupParent, Path runtime, Path shim) {
        this.dir = dir;
        this.cgroupParent = cgroupParent;
        this.runtime = runtime;
        this.shim = shim;
        this.root = dir.resolve("runtime-root");
    }

    /**
     * The harness for a test class's folder and cgroup parent; skips the class where containers
     * cannot be made (not root, no cgroups), as containerd could not make them either.
     */
    public static OciShim open(Path dir, String cgroupParent) throws IOException, InterruptedException {
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "uniwasm-runtime's tests need root (cgroups, namespaces), as containerd does");
        assumeTrue(Files.isDirectory(Host.CGROUPS), "no cgroups at /sys/fs/cgroup");
        return new OciShim(dir, cgroupParent, OciImages.runtime(), compiledShim());
    }

    private static synchronized Path compiledShim() throws IOException, InterruptedException {
        if (compiled != null) return compiled;
        // a folder of the JVM's, not a test class's @TempDir, which goes with its class
        Path folder = Files.createTempDirectory("uniwasm-oci-shim-");
        folder.toFile().deleteOnExit();
        Path built = folder.resolve("oci_shim");
        Host.compileC(Examples.home().resolve("cli/src/test/native/oci_shim.c"), built, false);
        // registered after its folder, so deleted before it
        built.toFile().deleteOnExit();
        compiled = built;
        return compiled;
    }

    /** build/bin/uniwasm-runtime. */
    public Path runtime() {
        return runtime;
    }

    /** The runtime's --root: a container's state is in ROOT/ID while it exists. */
    public Path root() {
        return root;
    }

    /**
     * The rootfs of an example's image ('uniwasm image build' with these flags), unpacked as
     * containerd's snapshotter would, in rootfs-EXAMPLE of the class's folder.
     */
    public Path rootfs(String example, String... flags) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path rootfs = dir.resolve("rootfs-" + example);
        OciImages.unpackLayer(OciImages.build(images, example, example, flags), rootfs);
        return rootfs;
    }

    /** The bundle folder of container id (made if missing). */
    public Path bundle(String id) throws IOException {
        return Files.createDirectories(dir.resolve("bundles").resolve(id));
    }

    /**
     * A config.json: rootfs's process with these args and env (cwd /), the container's cgroup under
     * the class's parent; {@code process}, {@code top} and {@code linux} are more members of the
     * process, of the top level and of linux ("" for none, else each member after a comma).
     */
    public String config(
            String id, Path rootfs, List<String> args, List<String> env, String process, String top, String linux) {
        return "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":" + OciImages.jsonList(args) + ",\"env\":"
                + OciImages.jsonList(env) + ",\"cwd\":\"/\"" + process + "},\"root\":{\"path\":"
                + OciImages.json(rootfs.toString()) + "}" + top + ",\"linux\":{\"cgroupsPath\":\"/" + cgroupParent
                + "/" + id + "\"" + linux + "}}";
    }

    /**
     * How oci_shim is started: after {@code prefix} (a command that execs the rest, or none), as the
     * console socket's receiver, with a kill of {@code signal} (or none) once started, more
     * environment, and with a stdin or with the runtime's fd 0 closed.
     */
    public record Launch(
            List<String> prefix, boolean console, String signal, Map<String, String> environment, boolean stdin) {
        public static final Launch PLAIN = new Launch(List.of(), false, null, Map.of(), true);

        public Launch after(List<String> command) {
            return new Launch(command, console, signal, environment, stdin);
        }

        public Launch killedWith(String kill) {
            return new Launch(prefix, console, kill, environment, stdin);
        }
    }

    /** oci_shim on a bundle for container id whose config.json is config. */
    public Process start(String id, String config, Launch launch) throws IOException {
        Path bundle = bundle(id);
        Files.writeString(bundle.resolve("config.json"), config);
        List<String> command = new ArrayList<>(launch.prefix());
        command.add(shim.toString());
        if (launch.console()) command.add("--console");
        command.addAll(List.of(
                runtime.toString(),
                root.toString(),
                bundle.toString(),
                id,
                bundle.resolve("report").toString()));
        if (launch.signal() != null) command.add(launch.signal());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(bundle.resolve("stdout").toFile())
                .redirectError(bundle.resolve("stderr").toFile());
        // a stray compile must not reach the host's own cache
        pb.environment().put("UNIWASM_CACHE", dir.resolve("no-cache-expected").toString());
        pb.environment().putAll(launch.environment());
        if (!launch.stdin()) pb.environment().put("OCI_SHIM_NO_STDIN", "1");
        return pb.start();
    }

    /** What oci_shim saw of a container: its report, the container's stdout and stderr, the runtime's log. */
    public record Run(String report, String out, String err, String log) {
        @Override
        public String toString() {
            return "--- report ---\n" + report + "--- stdout ---\n" + out + "--- stderr ---\n" + err + "--- log ---\n"
                    + log;
        }

        /** The container's process, as create's pid file named it. */
        public long pid() {
            return Long.parseLong(report.lines()
                    .filter(l -> l.startsWith("pid "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no pid in\n" + this))
                    .substring(4));
        }

        /** The message of the log's last line, which must be an error (what the shim shows). */
        public String lastLogError() {
            List<String> lines = log.lines().toList();
            assertFalse(lines.isEmpty(), toString());
            Matcher m = LOG_ERROR.matcher(lines.getLast());
            assertTrue(m.matches(), toString());
            return m.group(1);
        }

        /** The message of the log's first error line. */
        public String firstLogError() {
            List<String> errors = log.lines()
                    .filter(l -> l.startsWith("{\"level\":\"error\""))
                    .toList();
            assertFalse(errors.isEmpty(), toString());
            Matcher m = LOG_ERROR.matcher(errors.getFirst());
            assertTrue(m.matches(), toString());
            return m.group(1);
        }
    }

    /** Waits (bounded) for the oci_shim of container id to end, and what it saw. */
    public Run finish(String id, Process shimProcess) throws IOException, InterruptedException {
        Path bundle = bundle(id);
        // oci_shim's own alarm (300 s, for a compile on a loaded machine) ends it first
        if (!shimProcess.waitFor(330, TimeUnit.SECONDS)) {
            shimProcess.destroyForcibly();
            throw new IllegalStateException("oci_shim did not end within 330 s");
        }
        assertEquals(0, shimProcess.exitValue(), "oci_shim failed: " + Files.readString(bundle.resolve("stderr")));
        Path log = bundle.resolve("log.json");
        return new Run(
                Files.readString(bundle.resolve("report")),
                Files.readString(bundle.resolve("stdout")),
                Files.readString(bundle.resolve("stderr")),
                Files.exists(log) ? Files.readString(log) : "");
    }

    /** oci_shim on the bundle, then what it saw once it ended. */
    public Run run(String id, String config, Launch launch) throws IOException, InterruptedException {
        return finish(id, start(id, config, launch));
    }

    /** oci_shim's report once the container started, or once create failed or oci_shim ended (bounded wait). */
    public String startedReport(String id, Process shimProcess) throws Exception {
        Path report = bundle(id).resolve("report");
        for (int i = 0; i < 600; i++) {
            String text = Files.exists(report) ? Files.readString(report) : "";
            if (text.contains("start 0\n") || text.startsWith("create 1\n") || !shimProcess.isAlive()) {
                if (!shimProcess.isAlive() || text.startsWith("create 1\n")) shimProcess.waitFor(30, TimeUnit.SECONDS);
                return Files.exists(report) ? Files.readString(report) : "";
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "container " + id + " did not start:\n" + (Files.exists(report) ? Files.readString(report) : ""));
    }

    /** The container's process, once oci_shim has started it (bounded wait on its report). */
    public long startedPid(String id, Process shimProcess) throws Exception {
        String report = startedReport(id, shimProcess);
        if (!report.contains("start 0\n"))
            throw new IllegalStateException("container " + id + " did not start:\n" + report);
        return new Run(report, "", "", "").pid();
    }

    /** The runtime's exit status and output (stdout and stderr together). */
    public record Call(int status, String out) {
        public static final Call NONE = new Call(-1, "");
    }

    /** The runtime with these arguments after --root, run after prefix, its stdin /dev/null. */
    public Call call(List<String> prefix, String... args) throws IOException, InterruptedException {
        return callWithInput(prefix, null, args);
    }

    /** As {@link #call}, with stdin written to the runtime's stdin (or /dev/null when null). */
    public Call callWithInput(List<String> prefix, String stdin, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(runtime.toString(), "--root", root.toString()));
        command.addAll(List.of(args));
        // a file, not a pipe: a container create starts holds the runtime's stdio open
        Path out = Files.createTempFile(dir, "runtime-call-", "");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not end within 60 s");
        }
        return new Call(p.exitValue(), Files.readString(out));
    }

    /** Ends the container (delete --force, run after prefix) if oci_shim still runs, and waits (bounded) for oci_shim. */
    public void stop(List<String> prefix, String id, Process shimProcess) throws Exception {
        if (shimProcess.isAlive()) call(prefix, "delete", "--force", id);
        if (!shimProcess.waitFor(60, TimeUnit.SECONDS)) shimProcess.destroyForcibly();
    }

    /** The checks made on a started container, given its oci_shim. */
    @FunctionalInterface
    public interface Checks {
        void run(Process shimProcess) throws Exception;
    }

    /**
     * Runs checks on the container oci_shim (shimProcess) started, then waits for oci_shim and
     * returns what it saw; when a check fails, the container is stopped first, so that oci_shim ends
     * and no server is left running.
     */
    public Run withContainer(String id, Process shimProcess, Checks checks) throws Exception {
        try {
            checks.run(shimProcess);
        } catch (Throwable t) {
            try {
                stop(List.of(), id, shimProcess);
            } catch (Exception e) {
                t.addSuppressed(e);
            }
            throw t;
        }
        return finish(id, shimProcess);
    }

    /** Nothing of the container is left: no state folder, no cgroup in any hierarchy. */
    public void assertNothingLeft(String id, Run r) throws IOException {
        assertFalse(Files.exists(root.resolve(id)), "state of " + id + " left behind\n" + r);
        for (Path h : Host.cgroupHierarchies())
            assertFalse(Files.exists(h.resolve(cgroupParent).resolve(id)), "cgroup left in " + h + "\n" + r);
    }
}
