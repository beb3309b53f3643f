package dev.uniwasm.cli.e2e.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.Host;
import dev.uniwasm.cli.e2e.support.OciImages;
import dev.uniwasm.cli.e2e.support.TestSockets;
import dev.uniwasm.testkit.Commands;
import dev.uniwasm.testkit.Containerd;
import dev.uniwasm.testkit.Mounts;
import dev.uniwasm.testkit.ScratchImage;
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
import java.util.regex.Pattern;
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

    @TempDir
    Path dir;

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
        Containerd containerd = startContainerd(
                Map.of("UNIWASM_CACHE", dir.resolve("cache").toString(), "UNIWASM_CLI", cli.toString()));
        try {
            ctr(containerd, 0, "images", "import", "--platform", "wasi/wasm", hello.toString());
            ctr(containerd, 0, "images", "import", "--platform", "wasi/wasm", exit42.toString());
            ctr(containerd, 0, "images", "import", "--platform", "wasi/wasm", plain.toString());
            ctr(containerd, 0, "images", "import", "--platform", "wasi/wasm", bad.toString());
            List<String> run = ctrRun(runtime, "--rm");

            List<String> args = new ArrayList<>(run);
            args.addAll(List.of("docker.io/library/uniwasm-e2e-hello:1", "e2e-hello"));
            Containerd.Ctr r = ctr(containerd, 0, args.toArray(String[]::new));
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
            r = ctr(containerd, 0, args.toArray(String[]::new));
            assertEquals(
                    "hello from uniwasm\narg[0]=hello.wasm\narg[1]=baked\nenv GREETING=hi\n", r.out(), r.toString());
            assertEquals("hello on stderr\n", r.err(), r.toString());

            args = new ArrayList<>(run);
            args.addAll(List.of("docker.io/library/uniwasm-e2e-exit42:latest", "e2e-exit42"));
            ctr(containerd, 42, args.toArray(String[]::new));

            // the module alone: compiled by the first container, taken from the cache by the second
            for (String id : List.of("e2e-plain1", "e2e-plain2")) {
                args = new ArrayList<>(run);
                args.addAll(List.of("docker.io/library/uniwasm-e2e-plain:1", id, "/hello.wasm", "x"));
                r = ctr(containerd, 0, args.toArray(String[]::new));
                assertTrue(r.out().startsWith("hello from uniwasm\narg[0]=hello.wasm\narg[1]=x\n"), r.toString());
                assertEquals("hello on stderr\n", r.err(), r.toString());
            }
            assertEquals(1, Files.readAllLines(compiles).size(), "compiles");
            args = new ArrayList<>(run);
            args.addAll(List.of("docker.io/library/uniwasm-e2e-bad:1", "e2e-bad"));
            r = ctr(containerd, 1, args.toArray(String[]::new));
            assertTrue(
                    r.err()
                            .contains(
                                    "OCI runtime create failed: cannot compile /bad.wasm: uniwasm: bad.wasm: malformed module "
                                            + "at byte offset 9 (0x9)"),
                    r.toString());

            if (Host.onPath("script")) {
                // ctr run -t: the app's stdio is a terminal, what is typed reaches it
                List<String> tty = new ArrayList<>(containerd.ctrPrefix());
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
        Containerd containerd = startContainerd(Map.of());
        try {
            ctr(containerd, 0, "images", "import", "--platform", "wasi/wasm", hello.toString());
            ctr(containerd, 0, "images", "import", "--platform", "wasi/wasm", trap.toString());
            List<String> run = ctrRun(runtime, "--rm");

            List<String> args = new ArrayList<>(run);
            args.addAll(List.of("docker.io/library/uniwasm-e2e-trap:1", "e2e-trap"));
            Containerd.Ctr trapped = ctr(containerd, 130, args.toArray(String[]::new));
            assertTrue(trapped.err().contains("trap: integer divide by zero"), trapped.toString());

            int count = 10;
            List<java.util.concurrent.Future<Containerd.Ctr>> runs = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(count)) {
                for (int i = 0; i < count; i++) {
                    List<String> one = new ArrayList<>(run);
                    one.addAll(
                            List.of("docker.io/library/uniwasm-e2e-many:1", "e2e-many-" + i, "/hello.wasm", "n" + i));
                    runs.add(pool.submit(() -> ctr(containerd, 0, one.toArray(String[]::new))));
                }
                for (int i = 0; i < count; i++) {
                    Containerd.Ctr r = runs.get(i).get(240, TimeUnit.SECONDS);
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
        Containerd containerd = startContainerd(Map.of());
        try {
            ctr(containerd, 0, "images", "import", "--platform", "wasi/wasm", echo.toString());
            List<String> run = ctrRun(runtime, "-d");

            List<String> args = new ArrayList<>(run);
            args.addAll(List.of("--net-host", "docker.io/library/uniwasm-e2e-echo:1", "e2e-echo-host"));
            ctr(containerd, 0, args.toArray(String[]::new));
            try {
                assertEquals("ping", TestSockets.pingFrom(List.of(), port));
            } finally {
                killAndRemove(containerd, "e2e-echo-host");
            }

            // the same image as a VM: QEMU, in the host's network namespace, forwards the listener's port to the guest
            args = new ArrayList<>(run);
            args.addAll(List.of(
                    "--net-host",
                    "--annotation",
                    "dev.uniwasm.isolation=vm",
                    "docker.io/library/uniwasm-e2e-echo:1",
                    "e2e-echo-vm"));
            ctr(containerd, 0, args.toArray(String[]::new));
            try {
                assertEquals("ping", TestSockets.pingForwarded(List.of(), port));
            } finally {
                killAndRemove(containerd, "e2e-echo-vm");
            }

            args = new ArrayList<>(run);
            args.addAll(List.of("docker.io/library/uniwasm-e2e-echo:1", "e2e-echo-private"));
            ctr(containerd, 0, args.toArray(String[]::new));
            try {
                String pid = taskLine(containerd, "e2e-echo-private").split("\\s+")[1];
                assertEquals("ping", TestSockets.pingFrom(List.of("nsenter", "-t", pid, "-n"), port));
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    throw new AssertionError("a container without --net-host answered on the host's loopback");
                } catch (ConnectException expected) {
                    // refused: it listens in its own network namespace only
                }
            } finally {
                killAndRemove(containerd, "e2e-echo-private");
            }
            assertNoStateLeft();
        } finally {
            stopContainerd(containerd);
        }
    }

    /**
     * A native program for the pass-through test: prints its arguments and an image variable and
     * exits 7; with "wait" it stays up until SIGTERM (as the container's pid 1 it has no default
     * action for it).
     */
    private static final String NATIVE_PROGRAM = """
            #include <signal.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <unistd.h>
            static void on_term(int sig) { (void)sig; _exit(0); }
            int main(int argc, char **argv) {
                if (argc > 1 && !strcmp(argv[1], "wait")) {
                    signal(SIGTERM, on_term);
                    for (int i = 0; i < 600; i++) sleep(1);
                    return 3;
                }
                printf("native");
                for (int i = 1; i < argc; i++) printf(" %s", argv[i]);
                printf("\\nenv NATIVE=%s\\n", getenv("NATIVE") ? getenv("NATIVE") : "(unset)");
                fprintf(stderr, "native on stderr\\n");
                return 7;
            }
            """;

    /**
     * Issue 15: an image that is not wasi/wasm goes to runc. A static native program in a scratch
     * linux/amd64 image, run by {@code ctr run} with uniwasm-runtime as the shim's runc: its output,
     * stderr and exit status come back; while one runs, runc itself reports it running with the
     * task's pid ({@code runc state} in the runc root the shim gave), so runc, not uniwasm-runtime,
     * holds it; afterwards no state, mount, cgroup or process of it is left. A task left running (a
     * test that failed half-way) is removed by testkit's {@code Containerd.close}, shim and mount too.
     */
    @Test
    void aNativeImageIsHandedToRunc() throws Exception {
        Path runtime = requireContainerd();
        assumeTrue(
                Host.onPath("runc") && Host.onPath("clang"), "runc and clang are needed (scripts/setup installs them)");
        Path source = Files.writeString(dir.resolve("native.c"), NATIVE_PROGRAM);
        Path exe = Host.compileC(source, dir.resolve("native"), true);
        Path image = dir.resolve("native.tar");
        ScratchImage.write(
                Commands.PLAIN,
                Map.of("native", exe),
                new ScratchImage.Config(List.of("/native"), List.of("default"), List.of("NATIVE=from-image")),
                "docker.io/library/uniwasm-e2e-native:1",
                image);
        Containerd containerd = startContainerd(Map.of());
        try {
            ctr(containerd, 0, "images", "import", "--platform", "linux/amd64", image.toString());

            List<String> args = new ArrayList<>(ctrRun(runtime, "--rm", "linux/amd64"));
            args.addAll(List.of("docker.io/library/uniwasm-e2e-native:1", "e2e-native", "/native", "a", "b"));
            Containerd.Ctr r = ctr(containerd, 7, args.toArray(String[]::new));
            assertEquals("native a b\nenv NATIVE=from-image\n", r.out(), r.toString());
            assertEquals("native on stderr\n", r.err(), r.toString());

            args = new ArrayList<>(ctrRun(runtime, "-d", "linux/amd64"));
            args.addAll(List.of("docker.io/library/uniwasm-e2e-native:1", "e2e-native-up", "/native", "wait"));
            ctr(containerd, 0, args.toArray(String[]::new));
            long pid;
            try {
                pid = Long.parseLong(taskLine(containerd, "e2e-native-up").split("\\s+")[1]);
                String state = OciImages.run(List.of(
                        "runc", "--root", dir.resolve("runc").resolve(NAMESPACE).toString(), "state", "e2e-native-up"));
                assertTrue(
                        Pattern.compile("\"status\":\\s*\"running\"")
                                        .matcher(state)
                                        .find()
                                && Pattern.compile("\"pid\":\\s*" + pid + "\\b")
                                        .matcher(state)
                                        .find(),
                        "runc state of the running container (task pid " + pid + "):\n" + state);
            } finally {
                killAndRemove(containerd, "e2e-native-up");
            }
            assertTrue(ProcessHandle.of(pid).isEmpty(), "the native container's process " + pid + " outlived it");
            assertEquals(List.of(), Mounts.under(containerd.dir()), "a container's root file system is still mounted");
            assertNoStateLeft();

            // what a test that failed half-way leaves, a running task, close removes: its process,
            // shim and rootfs mount go with the containerd it belonged to
            args = new ArrayList<>(ctrRun(runtime, "-d", "linux/amd64"));
            args.addAll(List.of("docker.io/library/uniwasm-e2e-native:1", "e2e-native-left", "/native", "wait"));
            ctr(containerd, 0, args.toArray(String[]::new));
            long left = Long.parseLong(taskLine(containerd, "e2e-native-left").split("\\s+")[1]);
            long shim = ProcessHandle.of(left)
                    .flatMap(ProcessHandle::parent)
                    .orElseThrow()
                    .pid();
            assertFalse(Mounts.under(containerd.dir()).isEmpty(), "the running container has no rootfs mount");
            containerd.close();
            assertTrue(ProcessHandle.of(left).isEmpty(), "the left container's process " + left + " outlived close");
            // the shim ends once containerd has deleted its task, a moment after
            for (int i = 0; i < 100 && ProcessHandle.of(shim).isPresent(); i++) Thread.sleep(100);
            assertTrue(ProcessHandle.of(shim).isEmpty(), "the left container's shim " + shim + " outlived close");
            assertEquals(
                    List.of(), Mounts.under(containerd.dir()), "close left a container's root file system mounted");
            assertNoStateLeft();
        } finally {
            stopContainerd(containerd);
        }
    }

    /**
     * {@code ctr tasks pause} freezes a server container (ctr task ls says PAUSED; a connection gets
     * no answer) and {@code ctr tasks resume} lets it answer that connection; {@code ctr tasks exec}
     * fails with the runtime's line and the container serves on. Its {@code ctr run --cpus 0.5} is
     * its cgroup's CFS quota.
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
        Containerd containerd = startContainerd(Map.of());
        try {
            ctr(containerd, 0, "images", "import", "--platform", "wasi/wasm", echo.toString());
            List<String> args = new ArrayList<>(ctrRun(runtime, "-d"));
            args.addAll(List.of("--cpus", "0.5", "--net-host", "docker.io/library/uniwasm-e2e-pause:1", "e2e-pause"));
            ctr(containerd, 0, args.toArray(String[]::new));
            try {
                assertEquals("ping", TestSockets.pingFrom(List.of(), port));
                // ctr run --cpus: the CFS quota in config.json's linux.resources is the container's cgroup's
                boolean v2 = Host.cgroupV2();
                Path cgroup = (v2 ? Host.CGROUPS : Host.CGROUPS.resolve("cpu"))
                        .resolve(NAMESPACE)
                        .resolve("e2e-pause");
                assertEquals(
                        v2 ? "50000 100000" : "50000",
                        Files.readString(cgroup.resolve(v2 ? "cpu.max" : "cpu.cfs_quota_us"))
                                .strip());
                ctr(containerd, 0, "tasks", "pause", "e2e-pause");
                assertTrue(taskLine(containerd, "e2e-pause").endsWith("PAUSED"), taskLine(containerd, "e2e-pause"));
                try (Socket s = TestSockets.connect(new InetSocketAddress("127.0.0.1", port))) {
                    s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                    s.setSoTimeout(2_000);
                    try {
                        int b = s.getInputStream().read();
                        throw new AssertionError("a paused task answered (" + b + ")");
                    } catch (java.net.SocketTimeoutException expected) {
                        // frozen
                    }
                    ctr(containerd, 0, "tasks", "resume", "e2e-pause");
                    s.setSoTimeout(TestSockets.TIMEOUT_MILLIS);
                    assertEquals(
                            "ping",
                            new String(TestSockets.readExactly(s.getInputStream(), 4), StandardCharsets.US_ASCII));
                }
                assertTrue(taskLine(containerd, "e2e-pause").endsWith("RUNNING"), taskLine(containerd, "e2e-pause"));

                Containerd.Ctr exec =
                        ctr(containerd, 1, "tasks", "exec", "--exec-id", "e2e-exec", "e2e-pause", "/tcp_echo.wasm");
                assertTrue(
                        exec.err()
                                .contains("OCI runtime exec failed: exec is not supported for wasi/wasm containers: "
                                        + "e2e-pause runs one Wasm module and has no other program to run"),
                        exec.toString());
                assertTrue(taskLine(containerd, "e2e-pause").endsWith("RUNNING"), taskLine(containerd, "e2e-pause"));
                assertEquals("ping", TestSockets.pingFrom(List.of(), port));
            } finally {
                killAndRemove(containerd, "e2e-pause");
            }
            assertNoStateLeft();
        } finally {
            stopContainerd(containerd);
        }
    }

    private static Path requireContainerd() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "containerd needs root");
        assumeTrue(
                Host.onPath("containerd") && Host.onPath("ctr") && Host.onPath("containerd-shim-runc-v2"),
                "containerd is not installed (scripts/setup installs it)");
        return OciImages.runtime();
    }

    /** {@code ctr run MODE} (--rm or -d) of a wasi/wasm image with uniwasm-runtime as the shim's runc, up to the image. */
    private List<String> ctrRun(Path runtime, String mode) {
        return ctrRun(runtime, mode, "wasi/wasm");
    }

    /** {@code ctr run MODE} of an image of {@code platform} with uniwasm-runtime as the shim's runc, up to the image. */
    private List<String> ctrRun(Path runtime, String mode, String platform) {
        return List.of(
                "run",
                mode,
                "--platform",
                platform,
                "--runc-binary",
                runtime.toString(),
                "--runc-root",
                dir.resolve("runc").toString());
    }

    /** A containerd of the test's own, with these variables added to its environment (the shim passes them to the runtime). */
    private Containerd startContainerd(Map<String, String> environment) {
        return Containerd.start(dir.resolve("containerd"), NAMESPACE, false, environment);
    }

    private static void stopContainerd(Containerd containerd) throws Exception {
        containerd.close();
        // ctr's containers live under /NAMESPACE/ID in each hierarchy; delete removed the IDs, this the parent
        Host.removeCgroupParent(NAMESPACE);
    }

    /** The shim gives the runtime --root RUNC-ROOT/NAMESPACE: nothing of a removed container stays there. */
    private void assertNoStateLeft() throws IOException {
        try (Stream<Path> left = Files.list(dir.resolve("runc").resolve(NAMESPACE))) {
            assertEquals(List.of(), left.toList(), "a container's state was left in the runtime root");
        }
    }

    /** {@code ctr task ls}'s line of a task: "ID PID STATUS". */
    private String taskLine(Containerd containerd, String id) throws Exception {
        return ctr(containerd, 0, "task", "ls")
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
    private void killAndRemove(Containerd containerd, String id) throws Exception {
        ctr(containerd, 0, "task", "kill", id);
        boolean ended = waitStopped(containerd, id, 30);
        if (!ended) {
            ctr(containerd, 0, "task", "kill", "-s", "SIGKILL", id);
            waitStopped(containerd, id, 10);
        }
        ctr(containerd, 0, "task", "delete", id);
        ctr(containerd, 0, "container", "delete", id);
        assertTrue(ended, "ctr task kill did not end " + id + " within 30 s");
    }

    private boolean waitStopped(Containerd containerd, String id, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!taskLine(containerd, id).endsWith("STOPPED")) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(100);
        }
        return true;
    }

    /** {@code ctr ARGS...} on the test's containerd, which must end within 120 s with status {@code expected}. */
    private static Containerd.Ctr ctr(Containerd containerd, int expected, String... args) throws IOException {
        Containerd.Ctr r = containerd.ctr(List.of(args), 120);
        assertEquals(
                expected,
                r.status(),
                String.join(" ", containerd.ctrPrefix()) + " " + String.join(" ", args) + ":\n" + r.out() + r.err()
                        + "\n--- containerd.log ---\n" + Files.readString(containerd.log()));
        return r;
    }
}
