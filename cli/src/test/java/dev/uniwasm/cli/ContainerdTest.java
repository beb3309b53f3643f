package dev.uniwasm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's containerd lines, end to end: a containerd of the test's own (private root, state and
 * socket, the CRI plugin off) imports images from 'uniwasm image build' and runs them with
 * {@code ctr run --runc-binary build/bin/uniwasm-runtime}, as a process and as a VM, a server among
 * them; a wasi/wasm image of the module alone (as other tools write them) is compiled on first use,
 * once; {@code ctr run -t} gives the app a terminal (run under {@code script}, since ctr wants one
 * itself). Skipped where containerd is not
 * installed (scripts/setup installs it) or the test is not root.
 */
class ContainerdTest {
    private static final String NAMESPACE = "uniwasm-test";
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {}

    @Test
    void ctrRunsUniwasmImagesThroughTheRuncShim() throws Exception {
        Path runtime = requireContainerd();
        Path hello = OciImages.build(dir, "hello", "uniwasm-e2e-hello:1", "--env", "GREETING=hi", "--", "baked");
        Path exit42 = OciImages.build(dir, "exit42", "uniwasm-e2e-exit42");
        Path plain = OciImages.plainImage(dir, Examples.wasm("hello"), "uniwasm-e2e-plain:1");
        // a section whose length runs past the module's end
        Path bad = OciImages.plainImage(
                dir,
                Files.write(dir.resolve("bad.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5}),
                "uniwasm-e2e-bad:1");
        Path compiles = dir.resolve("compiles");
        Path cli = OciImages.countingCli(dir, compiles);
        // the shim passes containerd's environment on to the runtime
        Process containerd = startContainerd(
                Map.of("UNIWASM_CACHE", dir.resolve("cache").toString(), "UNIWASM_CLI", cli.toString()));
        try {
            Path socket = socket();
            ctr(socket, 0, "images", "import", "--platform", "wasi/wasm", hello.toString());
            ctr(socket, 0, "images", "import", "--platform", "wasi/wasm", exit42.toString());
            ctr(socket, 0, "images", "import", "--platform", "wasi/wasm", plain.toString());
            ctr(socket, 0, "images", "import", "--platform", "wasi/wasm", bad.toString());
            List<String> run = ctrRun(runtime, "--rm");

            List<String> args = new ArrayList<>(run);
            args.addAll(List.of("docker.io/library/uniwasm-e2e-hello:1", "e2e-hello"));
            Result r = ctr(socket, 0, args.toArray(String[]::new));
            // the image's entrypoint and Cmd, its Env; stdout and stderr reach ctr's
            assertEquals(
                    "hello from uniwasm\narg[0]=hello.wasm\narg[1]=baked\nenv GREETING=hi\n", r.out(), r.toString());
            assertEquals("hello on stderr\n", r.err(), r.toString());

            // the same image as a VM (QEMU, TCG here), chosen by the annotation
            args = new ArrayList<>(run);
            args.addAll(List.of(
                    "--annotation",
                    "dev.uniwasm.isolation=vm",
                    "docker.io/library/uniwasm-e2e-hello:1",
                    "e2e-hello-vm"));
            r = ctr(socket, 0, args.toArray(String[]::new));
            assertEquals(
                    "hello from uniwasm\narg[0]=hello.wasm\narg[1]=baked\nenv GREETING=hi\n", r.out(), r.toString());
            assertEquals("hello on stderr\n", r.err(), r.toString());

            args = new ArrayList<>(run);
            args.addAll(List.of("docker.io/library/uniwasm-e2e-exit42:latest", "e2e-exit42"));
            ctr(socket, 42, args.toArray(String[]::new));

            // the module alone: compiled by the first container, taken from the cache by the second
            for (String id : List.of("e2e-plain1", "e2e-plain2")) {
                args = new ArrayList<>(run);
                args.addAll(List.of("docker.io/library/uniwasm-e2e-plain:1", id, "/hello.wasm", "x"));
                r = ctr(socket, 0, args.toArray(String[]::new));
                assertTrue(r.out().startsWith("hello from uniwasm\narg[0]=hello.wasm\narg[1]=x\n"), r.toString());
                assertEquals("hello on stderr\n", r.err(), r.toString());
            }
            assertEquals(1, Files.readAllLines(compiles).size(), "compiles");
            args = new ArrayList<>(run);
            args.addAll(List.of("docker.io/library/uniwasm-e2e-bad:1", "e2e-bad"));
            r = ctr(socket, 1, args.toArray(String[]::new));
            assertTrue(
                    r.err()
                            .contains(
                                    "OCI runtime create failed: cannot compile /bad.wasm: uniwasm: bad.wasm: malformed module "
                                            + "at byte offset 9 (0x9)"),
                    r.toString());

            if (onPath("script")) {
                // ctr run -t: the app's stdio is a terminal, what is typed reaches it
                List<String> tty =
                        new ArrayList<>(List.of("ctr", "--address", socket.toString(), "--namespace", NAMESPACE));
                tty.addAll(run);
                tty.addAll(List.of(
                        "-t", "docker.io/library/uniwasm-e2e-plain:1", "e2e-tty", "/hello.wasm", "--read-line"));
                String line =
                        String.join(" ", tty.stream().map(OciImages::shellQuote).toList());
                Process p = new ProcessBuilder(
                                "sh",
                                "-c",
                                "(sleep 1; printf 'typed\\n') | timeout 120 script -qec " + OciImages.shellQuote(line)
                                        + " /dev/null")
                        .redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
                assertEquals(0, p.exitValue(), out);
                assertTrue(
                        out.contains("env TERM=")
                                && out.contains("stdin: typed\r")
                                && out.contains("hello on stderr\r"),
                        out);
            }
            assertNoStateLeft();
        } finally {
            stopContainerd(containerd);
        }
    }

    /**
     * A trap ends ctr run with the trap's status and line, as uniwasm run does; ten containers of one
     * image started at once all run, each with its own arguments, and leave nothing behind.
     */
    @Test
    void aTrapIsItsStatusAndTenContainersRunAtOnce() throws Exception {
        Path runtime = requireContainerd();
        Path hello = OciImages.build(dir, "hello", "uniwasm-e2e-many:1", "--isolation", "process");
        Path trap = OciImages.build(dir, "trap_divide_by_zero", "uniwasm-e2e-trap:1", "--isolation", "process");
        Process containerd = startContainerd(Map.of());
        try {
            Path socket = socket();
            ctr(socket, 0, "images", "import", "--platform", "wasi/wasm", hello.toString());
            ctr(socket, 0, "images", "import", "--platform", "wasi/wasm", trap.toString());
            List<String> run = ctrRun(runtime, "--rm");

            List<String> args = new ArrayList<>(run);
            args.addAll(List.of("docker.io/library/uniwasm-e2e-trap:1", "e2e-trap"));
            Result trapped = ctr(socket, 130, args.toArray(String[]::new));
            assertTrue(trapped.err().contains("trap: integer divide by zero"), trapped.toString());

            int count = 10;
            List<java.util.concurrent.Future<Result>> runs = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(count)) {
                for (int i = 0; i < count; i++) {
                    List<String> one = new ArrayList<>(run);
                    one.addAll(
                            List.of("docker.io/library/uniwasm-e2e-many:1", "e2e-many-" + i, "/hello.wasm", "n" + i));
                    runs.add(pool.submit(() -> ctr(socket, 0, one.toArray(String[]::new))));
                }
                for (int i = 0; i < count; i++) {
                    Result r = runs.get(i).get(240, TimeUnit.SECONDS);
                    // containerd adds a PATH to an image without one
                    assertTrue(
                            r.out().startsWith("hello from uniwasm\narg[0]=hello.wasm\narg[1]=n" + i + "\nenv PATH="),
                            r.toString());
                }
            }
            assertNoStateLeft();
        } finally {
            stopContainerd(containerd);
        }
    }

    /**
     * README's server lines: an image built with --tcplisten answers on the host's loopback under
     * {@code ctr run --net-host}, and {@code ctr task kill} (SIGTERM, to the init of the container's
     * pid namespace) ends it, as a process and as a VM (whose QEMU forwards the port there); without
     * --net-host the container has a network namespace of its own, where it answers, and the host's
     * loopback does not reach it.
     */
    @Test
    void aServerContainerAnswersWithNetHostAndOnlyInsideWithout() throws Exception {
        Path runtime = requireContainerd();
        int port = TestSockets.freeLoopbackPort();
        Path echo = OciImages.build(
                dir, "tcp_echo", "uniwasm-e2e-echo:1", "--tcplisten", "127.0.0.1:" + port, "--", "1000");
        Process containerd = startContainerd(Map.of());
        try {
            Path socket = socket();
            ctr(socket, 0, "images", "import", "--platform", "wasi/wasm", echo.toString());
            List<String> run = ctrRun(runtime, "-d");

            List<String> args = new ArrayList<>(run);
            args.addAll(List.of("--net-host", "docker.io/library/uniwasm-e2e-echo:1", "e2e-echo-host"));
            ctr(socket, 0, args.toArray(String[]::new));
            try {
                assertEquals("ping", TestSockets.pingFrom(List.of(), port));
            } finally {
                killAndRemove(socket, "e2e-echo-host");
            }

            // the same image as a VM: QEMU, in the host's network namespace, forwards the listener's port to the guest
            args = new ArrayList<>(run);
            args.addAll(List.of(
                    "--net-host",
                    "--annotation",
                    "dev.uniwasm.isolation=vm",
                    "docker.io/library/uniwasm-e2e-echo:1",
                    "e2e-echo-vm"));
            ctr(socket, 0, args.toArray(String[]::new));
            try {
                assertEquals("ping", TestSockets.pingForwarded(List.of(), port));
            } finally {
                killAndRemove(socket, "e2e-echo-vm");
            }

            args = new ArrayList<>(run);
            args.addAll(List.of("docker.io/library/uniwasm-e2e-echo:1", "e2e-echo-private"));
            ctr(socket, 0, args.toArray(String[]::new));
            try {
                String pid = taskLine(socket, "e2e-echo-private").split("\\s+")[1];
                assertEquals("ping", TestSockets.pingFrom(List.of("nsenter", "-t", pid, "-n"), port));
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    throw new AssertionError("a container without --net-host answered on the host's loopback");
                } catch (ConnectException expected) {
                    // refused: it listens in its own network namespace only
                }
            } finally {
                killAndRemove(socket, "e2e-echo-private");
            }
            assertNoStateLeft();
        } finally {
            stopContainerd(containerd);
        }
    }

    /**
     * {@code ctr tasks pause} freezes a server container (ctr task ls says PAUSED; a connection gets
     * no answer) and {@code ctr tasks resume} lets it answer that connection; {@code ctr tasks exec}
     * fails with the runtime's line and the container serves on.
     */
    @Test
    void ctrPausesAndResumesATaskAndRefusesExec() throws Exception {
        Path runtime = requireContainerd();
        int port = TestSockets.freeLoopbackPort();
        Path echo = OciImages.build(
                dir,
                "tcp_echo",
                "uniwasm-e2e-pause:1",
                "--isolation",
                "process",
                "--tcplisten",
                "127.0.0.1:" + port,
                "--",
                "1000");
        Process containerd = startContainerd(Map.of());
        try {
            Path socket = socket();
            ctr(socket, 0, "images", "import", "--platform", "wasi/wasm", echo.toString());
            List<String> args = new ArrayList<>(ctrRun(runtime, "-d"));
            args.addAll(List.of("--net-host", "docker.io/library/uniwasm-e2e-pause:1", "e2e-pause"));
            ctr(socket, 0, args.toArray(String[]::new));
            try {
                assertEquals("ping", TestSockets.pingFrom(List.of(), port));
                ctr(socket, 0, "tasks", "pause", "e2e-pause");
                assertTrue(taskLine(socket, "e2e-pause").endsWith("PAUSED"), taskLine(socket, "e2e-pause"));
                try (Socket s = TestSockets.connect(new InetSocketAddress("127.0.0.1", port))) {
                    s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                    s.setSoTimeout(2_000);
                    try {
                        int b = s.getInputStream().read();
                        throw new AssertionError("a paused task answered (" + b + ")");
                    } catch (java.net.SocketTimeoutException expected) {
                        // frozen
                    }
                    ctr(socket, 0, "tasks", "resume", "e2e-pause");
                    s.setSoTimeout(TestSockets.TIMEOUT_MILLIS);
                    assertEquals(
                            "ping",
                            new String(TestSockets.readExactly(s.getInputStream(), 4), StandardCharsets.US_ASCII));
                }
                assertTrue(taskLine(socket, "e2e-pause").endsWith("RUNNING"), taskLine(socket, "e2e-pause"));

                Result exec = ctr(socket, 1, "tasks", "exec", "--exec-id", "e2e-exec", "e2e-pause", "/tcp_echo.wasm");
                assertTrue(
                        exec.err()
                                .contains("OCI runtime exec failed: exec is not supported for wasi/wasm containers: "
                                        + "e2e-pause runs one Wasm module and has no other program to run"),
                        exec.toString());
                assertTrue(taskLine(socket, "e2e-pause").endsWith("RUNNING"), taskLine(socket, "e2e-pause"));
                assertEquals("ping", TestSockets.pingFrom(List.of(), port));
            } finally {
                killAndRemove(socket, "e2e-pause");
            }
            assertNoStateLeft();
        } finally {
            stopContainerd(containerd);
        }
    }

    private static Path requireContainerd() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "containerd needs root");
        assumeTrue(
                onPath("containerd") && onPath("ctr") && onPath("containerd-shim-runc-v2"),
                "containerd is not installed (scripts/setup installs it)");
        return OciImages.runtime();
    }

    /** {@code ctr run MODE} (--rm or -d) of a wasi/wasm image with uniwasm-runtime as the shim's runc, up to the image. */
    private List<String> ctrRun(Path runtime, String mode) {
        return List.of(
                "run",
                mode,
                "--platform",
                "wasi/wasm",
                "--runc-binary",
                runtime.toString(),
                "--runc-root",
                dir.resolve("runc").toString());
    }

    private Path socket() {
        return dir.resolve("containerd.sock");
    }

    /** A containerd of the test's own, with these variables added to its environment (the shim passes them to the runtime). */
    private Process startContainerd(Map<String, String> environment) throws Exception {
        Path socket = socket();
        Files.writeString(
                dir.resolve("config.toml"),
                "version = 2\nroot = \"" + dir.resolve("root") + "\"\nstate = \"" + dir.resolve("state")
                        + "\"\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n[grpc]\n  address = \"" + socket
                        + "\"\n");
        ProcessBuilder pb = new ProcessBuilder(
                        "containerd", "--config", dir.resolve("config.toml").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("containerd.log").toFile());
        pb.environment().putAll(environment);
        Process containerd = pb.start();
        try {
            waitForSocket(containerd, socket);
        } catch (Exception e) {
            stopContainerd(containerd);
            throw e;
        }
        return containerd;
    }

    private static void stopContainerd(Process containerd) throws Exception {
        containerd.destroy();
        if (!containerd.waitFor(15, TimeUnit.SECONDS))
            containerd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        removeNamespaceCgroups();
    }

    /** The shim gives the runtime --root RUNC-ROOT/NAMESPACE: nothing of a removed container stays there. */
    private void assertNoStateLeft() throws IOException {
        try (Stream<Path> left = Files.list(dir.resolve("runc").resolve(NAMESPACE))) {
            assertEquals(List.of(), left.toList(), "a container's state was left in the runtime root");
        }
    }

    /** {@code ctr task ls}'s line of a task: "ID PID STATUS". */
    private String taskLine(Path socket, String id) throws Exception {
        return ctr(socket, 0, "task", "ls")
                .out()
                .lines()
                .filter(l -> l.startsWith(id + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no task " + id));
    }

    /**
     * ctr task kill (SIGTERM), which must end the task within 30 s; then the task and container are
     * removed, after a SIGKILL when SIGTERM failed, so that nothing outlives the test.
     */
    private void killAndRemove(Path socket, String id) throws Exception {
        ctr(socket, 0, "task", "kill", id);
        boolean ended = waitStopped(socket, id, 30);
        if (!ended) {
            ctr(socket, 0, "task", "kill", "-s", "SIGKILL", id);
            waitStopped(socket, id, 10);
        }
        ctr(socket, 0, "task", "delete", id);
        ctr(socket, 0, "container", "delete", id);
        assertTrue(ended, "ctr task kill did not end " + id + " within 30 s");
    }

    private boolean waitStopped(Path socket, String id, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!taskLine(socket, id).endsWith("STOPPED")) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(100);
        }
        return true;
    }

    private Result ctr(Path socket, int expected, String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of("ctr", "--address", socket.toString(), "--namespace", NAMESPACE));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "ctr-stderr-", ""); // one each: calls may run at once
        Process p = new ProcessBuilder(command)
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not end within 120 s");
        }
        String errors = Files.readString(err);
        assertEquals(
                expected,
                p.exitValue(),
                command + ":\n" + out + errors + "\n--- containerd.log ---\n"
                        + Files.readString(dir.resolve("containerd.log")));
        return new Result(p.exitValue(), out, errors);
    }

    private static void waitForSocket(Process containerd, Path socket) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            if (!containerd.isAlive())
                throw new IllegalStateException("containerd ended with status " + containerd.exitValue());
            if (System.nanoTime() > deadline) throw new IllegalStateException("containerd made no socket within 30 s");
            Thread.sleep(50);
        }
    }

    /** ctr's containers live under /NAMESPACE/ID in each hierarchy; delete removed the IDs, this the parents. */
    private static void removeNamespaceCgroups() throws IOException {
        if (!Files.isDirectory(CGROUPS)) return;
        try (Stream<Path> s = Files.list(CGROUPS)) {
            for (Path h : s.toList()) Files.deleteIfExists(h.resolve(NAMESPACE));
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            throw new IllegalStateException("a container's cgroup was left behind: " + e.getFile());
        }
        Files.deleteIfExists(CGROUPS.resolve(NAMESPACE));
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(":")) {
            if (Files.isExecutable(Path.of(d.isEmpty() ? "." : d, tool))) return true;
        }
        return false;
    }
}
