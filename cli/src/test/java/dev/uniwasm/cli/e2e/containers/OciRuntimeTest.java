package dev.uniwasm.cli.e2e.containers;

import static dev.uniwasm.cli.e2e.support.OciShim.ALL_NEW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.Host;
import dev.uniwasm.cli.e2e.support.OciImages;
import dev.uniwasm.cli.e2e.support.OciShim;
import dev.uniwasm.cli.e2e.support.OciShim.Call;
import dev.uniwasm.cli.e2e.support.OciShim.Launch;
import dev.uniwasm.cli.e2e.support.OciShim.Run;
import dev.uniwasm.cli.e2e.support.TestSockets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * uniwasm-runtime driven as containerd's runc shim drives it (oci_shim.c does the shim's part: a
 * subreaper that creates, starts, kills, waits and deletes), on bundles made from images of
 * 'uniwasm image build': the app's arguments, environment and stdio are the container's, its exit
 * status is the app's, it lives in the container's cgroups and namespaces (a server answers in the
 * network namespace it joined or made, or on the host's), kill ends it, delete leaves nothing;
 * the same for a VM container (annotation dev.uniwasm.isolation=vm: QEMU, under TCG here, so those
 * tests are few); a bundle of the module alone is compiled on first use, once, into the compile
 * cache; a terminal is the app's stdio and controlling terminal, its master handed over the console
 * socket; what it cannot do yet is one error line in the log; other bundles go to runc unchanged.
 */
class OciRuntimeTest {
    /** The cgroup folder the test's containers live under, in every hierarchy. */
    private static final String CGROUP_PARENT = "uniwasm-oci-test";

    @TempDir
    static Path dir;

    private static final Map<String, String> VM = Map.of("dev.uniwasm.isolation", "vm");
    static OciShim oci;
    static Path helloRootfs, exitRootfs, trapRootfs, echoRootfs, processOnlyRootfs;
    /** The port the echo server's image listens on, on 127.0.0.1 of whichever network namespace it is in. */
    static int echoPort;

    @BeforeAll
    static void setUp() throws Exception {
        oci = OciShim.open(dir, CGROUP_PARENT);
        // compiles on first use run as nobody, which reaches the caches and stand-in CLIs by their paths
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        helloRootfs = oci.rootfs("hello", "--env", "GREETING=hi", "--", "baked");
        exitRootfs = oci.rootfs("exit42");
        trapRootfs = oci.rootfs("trap_divide_by_zero");
        Path images = Files.createDirectories(dir.resolve("images-process"));
        processOnlyRootfs = dir.resolve("rootfs-process-only");
        OciImages.unpackLayer(
                OciImages.build(images, "hello", "hello-process", "--isolation", "process"), processOnlyRootfs);
        echoPort = TestSockets.freeLoopbackPort();
        echoRootfs = oci.rootfs("tcp_echo", "--tcplisten", "127.0.0.1:" + echoPort);
    }

    @AfterAll
    static void removeCgroupParents() throws IOException {
        Host.removeCgroupParent(CGROUP_PARENT);
    }

    /** How the runtime is run: its environment (the compile cache's folder, the CLI it compiles with) and a terminal. */
    record Setup(Map<String, String> environment, boolean terminal, boolean console) {
        static final Setup PLAIN = new Setup(Map.of(), false, false);
    }

    /** A bundle for rootfs with this process, run through oci_shim (with a kill when signal is given). */
    private static Run run(
            String id,
            Path rootfs,
            List<String> args,
            List<String> env,
            Map<String, String> annotations,
            boolean terminal,
            String signal)
            throws IOException, InterruptedException {
        return run(id, rootfs, args, env, annotations, new Setup(Map.of(), terminal, false), signal);
    }

    private static Run run(
            String id,
            Path rootfs,
            List<String> args,
            List<String> env,
            Map<String, String> annotations,
            Setup setup,
            String signal)
            throws IOException, InterruptedException {
        return oci.finish(id, start(id, rootfs, args, env, annotations, setup, signal, null, null, true));
    }

    /** As above; without stdin, the runtime's fd 0 is closed. */
    private static Run run(
            String id,
            Path rootfs,
            List<String> args,
            List<String> env,
            Map<String, String> annotations,
            boolean terminal,
            String signal,
            boolean stdin)
            throws IOException, InterruptedException {
        return oci.finish(
                id,
                start(
                        id,
                        rootfs,
                        args,
                        env,
                        annotations,
                        new Setup(Map.of(), terminal, false),
                        signal,
                        null,
                        null,
                        stdin));
    }

    /** A container of rootfs without environment, terminal, kill or hostname, in these namespaces (JSON). */
    private static Process start(
            String id, Path rootfs, List<String> args, Map<String, String> annotations, String namespaces)
            throws IOException {
        return start(id, rootfs, args, List.of(), annotations, false, null, namespaces, null);
    }

    private static Process start(
            String id,
            Path rootfs,
            List<String> args,
            List<String> env,
            Map<String, String> annotations,
            boolean terminal,
            String signal,
            String namespaces,
            String hostname)
            throws IOException {
        return start(
                id,
                rootfs,
                args,
                env,
                annotations,
                new Setup(Map.of(), terminal, false),
                signal,
                namespaces,
                hostname,
                true);
    }

    /**
     * Starts oci_shim on a bundle for rootfs; {@code namespaces} (JSON, or null for none) becomes
     * linux.namespaces and {@code hostname} (or null) the hostname; without stdin, the runtime's fd 0 is closed.
     */
    private static Process start(
            String id,
            Path rootfs,
            List<String> args,
            List<String> env,
            Map<String, String> annotations,
            Setup setup,
            String signal,
            String namespaces,
            String hostname,
            boolean stdin)
            throws IOException {
        Map<String, String> notes = new LinkedHashMap<>();
        annotations.forEach((k, v) -> notes.put(k, OciImages.json(v)));
        String config = oci.config(
                id,
                rootfs,
                args,
                env,
                ",\"terminal\":" + setup.terminal()
                        + (setup.terminal() ? ",\"consoleSize\":{\"height\":33,\"width\":101}" : "")
                        + ",\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[0]}",
                (hostname == null ? "" : ",\"hostname\":" + OciImages.json(hostname)) + ",\"annotations\":"
                        + OciImages.jsonObject(notes),
                (namespaces == null ? "" : ",\"namespaces\":" + namespaces)
                        + ",\"resources\":{\"memory\":{\"limit\":268435456},\"pids\":{\"limit\":16}}");
        return oci.start(id, config, new Launch(List.of(), setup.console(), signal, setup.environment(), stdin));
    }

    private static Run run(String id, Path rootfs, List<String> args, List<String> env)
            throws IOException, InterruptedException {
        return run(id, rootfs, args, env, Map.of(), false, null);
    }

    @Test
    void theAppGetsTheContainersArgumentsEnvironmentStdioAndCgroups() throws Exception {
        Run r = run("args", helloRootfs, List.of("/hello.wasm", "x", "y z"), List.of("A=1", "PATH=/bin"));
        assertTrue(r.report().contains("create 0\n") && r.report().contains("start 0\n"), r.toString());
        assertEquals(
                "hello from uniwasm\narg[0]=hello.wasm\narg[1]=x\narg[2]=y z\nenv A=1\nenv PATH=/bin\n",
                r.out(),
                r.toString());
        assertEquals("hello on stderr\n", r.err(), r.toString());
        assertTrue(r.report().contains("exit 0\n"), r.toString());
        assertTrue(r.report().contains("delete 0\n"), r.toString());
        for (String line :
                r.report().lines().filter(l -> l.startsWith("cgroup ")).toList()) {
            // cgroup v1 lines are N:CONTROLLERS:PATH; the hierarchies of the host's own are not the container's
            if (line.matches("cgroup \\d+:[^:]*(memory|pids)[^:]*:.*")) {
                assertTrue(
                        line.endsWith(":/" + CGROUP_PARENT + "/args"),
                        "not in the container's cgroup: " + line + "\n" + r);
            }
        }
        assertTrue(r.report().lines().anyMatch(l -> l.endsWith("/" + CGROUP_PARENT + "/args")), r.toString());
        if (!Host.cgroupV2()) {
            // cgroup v1: linux.resources' limits are the cgroups'
            assertTrue(r.report().contains("limit memory.limit_in_bytes 268435456\n"), r.toString());
            assertTrue(r.report().contains("limit pids.max 16\n"), r.toString());
        }
        oci.assertNothingLeft("args", r);
    }

    @Test
    void withoutArgumentsTheBakedOnesAreNotUsedButTheImagesCmdIsContainerdsToPass() throws Exception {
        // containerd gives process.args = Entrypoint + Cmd; the runtime passes exactly what it is given
        Run r = run("noargs", helloRootfs, List.of("/hello.wasm"), List.of());
        assertEquals("hello from uniwasm\narg[0]=hello.wasm\n", r.out(), r.toString());
        oci.assertNothingLeft("noargs", r);
    }

    @Test
    void theExitStatusIsTheAppsAndATrapIsAsInUniwasmRun() throws Exception {
        Run exit = run("exit42", exitRootfs, List.of("/exit42.wasm"), List.of());
        assertTrue(exit.report().contains("exit 42\n"), exit.toString());
        oci.assertNothingLeft("exit42", exit);
        Run trap = run("trap", trapRootfs, List.of("/trap_divide_by_zero.wasm"), List.of());
        assertTrue(trap.report().contains("exit 130\n"), trap.toString());
        assertTrue(trap.err().contains("trap: integer divide by zero"), trap.toString());
        oci.assertNothingLeft("trap", trap);
    }

    @Test
    void killEndsARunningAppPromptlyAndStateSaysRunning() throws Exception {
        long started = System.nanoTime();
        Run r = run("kill", helloRootfs, List.of("/hello.wasm", "--read-line"), List.of(), Map.of(), false, "SIGTERM");
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(r.report().contains("\"status\":\"running\""), r.toString());
        assertTrue(r.report().contains("\"id\":\"kill\""), r.toString());
        assertTrue(r.report().contains("kill 0\n"), r.toString());
        assertTrue(r.report().contains("signal 15\n"), r.toString());
        assertTrue(ms < 30_000, "took " + ms + " ms\n" + r);
        oci.assertNothingLeft("kill", r);
    }

    /** A cache of the test's own, compiled with the counting CLI: the counter has a line per compile. */
    private record Cache(Path folder, Path counter, Setup setup) {
        static Cache make(String name) throws IOException {
            Path folder = dir.resolve("cache-" + name), counter = dir.resolve("compiles-" + name);
            Path cli = OciImages.countingCli(Files.createDirectories(dir.resolve("cli-" + name)), counter);
            return new Cache(
                    folder,
                    counter,
                    new Setup(Map.of("UNIWASM_CACHE", folder.toString(), "UNIWASM_CLI", cli.toString()), false, false));
        }

        long compiles() throws IOException {
            return Files.exists(counter) ? Files.readAllLines(counter).size() : 0;
        }
    }

    /** A rootfs as a Docker-style wasi/wasm image unpacks: the module at /app.wasm and nothing of uniwasm's. */
    private static Path moduleAlone(String name, byte[] module) throws IOException {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs-alone-" + name));
        Files.write(rootfs.resolve("app.wasm"), module);
        return rootfs;
    }

    @Test
    void aModuleWithoutACompiledFormIsCompiledOnFirstUseThenTakenFromTheCache() throws Exception {
        Cache cache = Cache.make("first-use");
        byte[] hello = Files.readAllBytes(Examples.wasm("hello"));
        Path rootfs = moduleAlone("first-use", hello);
        Run first = run("first", rootfs, List.of("/app.wasm", "x"), List.of("A=1"), Map.of(), cache.setup(), null);
        assertEquals("hello from uniwasm\narg[0]=app.wasm\narg[1]=x\nenv A=1\n", first.out(), first.toString());
        assertTrue(first.report().contains("exit 0\n"), first.toString());
        assertEquals(1, cache.compiles(), first.toString());
        assertTrue(first.log().contains("\"level\":\"info\",\"msg\":\"compiled /app.wasm (sha256:"), first.toString());
        oci.assertNothingLeft("first", first);

        // the same rootfs, and a copy of it (another file: the digest finds it), use the cache
        Run again = run("again", rootfs, List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null);
        assertEquals("hello from uniwasm\narg[0]=app.wasm\n", again.out(), again.toString());
        Run copy =
                run("copy", moduleAlone("copy", hello), List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null);
        assertEquals("hello from uniwasm\narg[0]=app.wasm\n", copy.out(), copy.toString());
        assertEquals(1, cache.compiles(), again + "\n" + copy);
        assertFalse(again.log().contains("compiled"), again.toString());
        oci.assertNothingLeft("again", again);
        oci.assertNothingLeft("copy", copy);
        // no work folder left
        try (Stream<Path> s = Files.list(cache.folder())) {
            assertEquals(
                    List.of("digests", "x86_64-linux"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }

        // the same file rewritten (same inode) is another module: the memoised digest is not reused
        Files.write(rootfs.resolve("app.wasm"), Files.readAllBytes(Examples.wasm("exit42")));
        Run changed = run("changed", rootfs, List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null);
        assertTrue(changed.report().contains("exit 42\n"), changed.toString());
        assertEquals(2, cache.compiles(), changed.toString());
        oci.assertNothingLeft("changed", changed);
    }

    @Test
    void onAnOverlayTheDigestIsMemoisedByTheLayerFileSoEveryMountOfItFindsIt() throws Exception {
        Cache cache = Cache.make("overlay");
        Path lower = moduleAlone("overlay-lower", Files.readAllBytes(Examples.wasm("hello")));
        List<Path> mounted = new ArrayList<>();
        try {
            for (int i = 1; i <= 2; i++) {
                // as containerd's overlayfs snapshotter mounts each container's rootfs: a new overlay device each time
                Path layers = Files.createDirectories(dir.resolve("overlay" + i));
                Path upper = Files.createDirectories(layers.resolve("upper")),
                        work = Files.createDirectories(layers.resolve("work"));
                Path merged = Files.createDirectories(layers.resolve("merged"));
                OciImages.run(List.of(
                        "mount",
                        "-t",
                        "overlay",
                        "overlay",
                        "-o",
                        "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work,
                        merged.toString()));
                mounted.add(merged);
                Run r = run("overlay" + i, merged, List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null);
                assertEquals("hello from uniwasm\narg[0]=app.wasm\n", r.out(), r.toString());
                oci.assertNothingLeft("overlay" + i, r);
            }
        } finally {
            for (Path m : mounted) OciImages.run(List.of("umount", m.toString()));
        }
        // one memo entry, for the lower layer's file (its device, not either overlay's)
        Path file = lower.resolve("app.wasm");
        String identity = Long.toHexString((Long) Files.getAttribute(file, "unix:dev")) + "-"
                + Long.toHexString((Long) Files.getAttribute(file, "unix:ino")) + "-";
        try (Stream<Path> s = Files.list(cache.folder().resolve("digests"))) {
            List<String> memo = s.map(p -> {
                        try {
                            return Files.readString(p);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
            assertEquals(1, memo.size(), memo.toString());
            assertTrue(memo.getFirst().startsWith(identity), memo + " is not " + identity);
        }
        assertEquals(1, cache.compiles());
    }

    @Test
    void tenConcurrentCreatesOfOneUncompiledModuleCompileItOnceAndAllRun() throws Exception {
        Cache cache = Cache.make("concurrent");
        Path rootfs = moduleAlone("concurrent", Files.readAllBytes(Examples.wasm("hello")));
        List<java.util.concurrent.Future<Run>> runs = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 10; i++) {
                String id = "many" + i;
                runs.add(pool.submit(
                        () -> run(id, rootfs, List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null)));
            }
        }
        for (int i = 0; i < 10; i++) {
            Run r = runs.get(i).get();
            assertEquals("hello from uniwasm\narg[0]=app.wasm\n", r.out(), r.toString());
            assertTrue(r.report().contains("exit 0\n"), r.toString());
            oci.assertNothingLeft("many" + i, r);
        }
        assertEquals(1, cache.compiles());
    }

    @Test
    void aModuleTheCompilerRefusesIsOneErrorLineWithItsOffsetAndIsNotRetried() throws Exception {
        Cache cache = Cache.make("refused");
        // a section whose length runs past the end of the module
        Path rootfs = moduleAlone("refused", new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5});
        Run r = run("refused", rootfs, List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null);
        assertLastLogError(r, "cannot compile /app.wasm: uniwasm: app.wasm: malformed module at byte offset 9 (0x9)");
        assertEquals(1, r.log().lines().count(), r.toString());
        assertEquals("uniwasm-runtime: " + r.lastLogError() + "\n", r.err(), r.toString());
        oci.assertNothingLeft("refused", r);
        // the refusal is the module's own: the next create reports it without compiling again
        Run again = run("refused2", rootfs, List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null);
        assertLastLogError(again, "malformed module at byte offset 9 (0x9)");
        assertEquals(1, cache.compiles());
        oci.assertNothingLeft("refused2", again);
    }

    @Test
    void aCrashedCompileLeavesNoFileUnderTheCachesNameAndTheNextCreateCompiles() throws Exception {
        Cache cache = Cache.make("crash");
        byte[] hello = Files.readAllBytes(Examples.wasm("hello"));
        Path rootfs = moduleAlone("crash", hello);
        // a compiler that writes half of its output (-o FILE: its 5th argument) and dies
        Path crashing = dir.resolve("crashing-uniwasm");
        Files.writeString(crashing, "#!/bin/sh\nprintf half > \"$5\"\nkill -9 $$\n");
        assertTrue(crashing.toFile().setExecutable(true, false));
        Setup crashes = new Setup(
                Map.of("UNIWASM_CACHE", cache.folder().toString(), "UNIWASM_CLI", crashing.toString()), false, false);
        Run r = run("crash", rootfs, List.of("/app.wasm"), List.of(), Map.of(), crashes, null);
        assertLastLogError(r, "cannot compile /app.wasm: " + crashing + " was killed by signal 9");
        oci.assertNothingLeft("crash", r);
        try (Stream<Path> s = Files.list(cache.folder().resolve("x86_64-linux"))) {
            assertEquals(
                    List.of(), s.filter(p -> !p.toString().endsWith(".lock")).toList(), "a failed compile left a file");
        }
        // a runtime killed while compiling leaves its work folder: the next compile of the module removes it
        String digest = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(hello));
        Path stale = Files.createDirectories(cache.folder().resolve("tmp." + digest + ".crashed"));
        Files.writeString(stale.resolve("app.wasm.x86_64-linux"), "half");
        Run after = run("after-crash", rootfs, List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null);
        assertEquals("hello from uniwasm\narg[0]=app.wasm\n", after.out(), after.toString());
        assertEquals(1, cache.compiles());
        assertFalse(Files.exists(stale), "a crashed compile's folder is left");
        assertTrue(Files.isExecutable(cache.folder().resolve("x86_64-linux").resolve(digest)));
        oci.assertNothingLeft("after-crash", after);
    }

    @Test
    void aTerminalIsTheAppsStdioAndControllingTerminalItsMasterSentOverTheConsoleSocket() throws Exception {
        Run r = run(
                "tty",
                helloRootfs,
                List.of("/hello.wasm", "--read-line"),
                List.of(),
                Map.of(),
                new Setup(Map.of(), true, true),
                null);
        assertTrue(r.report().contains("create 0\nconsole /dev/ptmx\nwinsize 33 101\n"), r.toString());
        assertTrue(r.report().contains("controlling-terminal yes\n"), r.toString());
        assertTrue(r.report().contains("exit 0\n"), r.toString());
        // the terminal's line discipline: \r\n, and what the shim typed is echoed and read by the app
        assertTrue(
                r.out().startsWith("hello from uniwasm\r\narg[0]=hello.wasm\r\narg[1]=--read-line\r\n"), r.toString());
        assertTrue(r.out().contains("stdin: typed\r\n") && r.out().endsWith("hello on stderr\r\n"), r.toString());
        assertEquals("", r.err(), r.toString());
        oci.assertNothingLeft("tty", r);
    }

    @Test
    void whatIsNotSupportedYetIsOneErrorInTheLogAndNothingIsLeft() throws Exception {
        Run terminal = run("tty-no-socket", helloRootfs, List.of("/hello.wasm"), List.of(), Map.of(), true, null);
        assertTrue(terminal.report().startsWith("create 1\n"), terminal.toString());
        assertLastLogError(terminal, "process.terminal is true but no --console-socket was given");
        oci.assertNothingLeft("tty-no-socket", terminal);

        Run vm = run("vm", processOnlyRootfs, List.of("/hello.wasm"), List.of(), VM, false, null);
        assertLastLogError(
                vm,
                "the image has no VM form of /hello.wasm (.uniwasm/hello.wasm.x86_64-pvh); build it with "
                        + "'uniwasm image build --isolation vm (or both)'");
        oci.assertNothingLeft("vm", vm);

        Run other = run(
                "other",
                helloRootfs,
                List.of("/hello.wasm"),
                List.of(),
                Map.of("dev.uniwasm.isolation", "wasm"),
                false,
                null);
        assertLastLogError(other, "annotation dev.uniwasm.isolation='wasm' is not one of process, vm");
        oci.assertNothingLeft("other", other);

        Run notWasm = run("args0", helloRootfs, List.of("x", "y"), List.of());
        assertLastLogError(notWasm, "process.args[0] 'x' is not a .wasm module");
        oci.assertNothingLeft("args0", notWasm);
    }

    @Test
    void aVmContainerGetsTheContainersArgumentsEnvironmentStdioAndCgroups() throws Exception {
        Run r = run(
                "vm-args",
                helloRootfs,
                List.of("/hello.wasm", "x", "y z"),
                List.of("A=1", "PATH=/bin"),
                VM,
                false,
                null);
        assertTrue(r.report().contains("create 0\n") && r.report().contains("start 0\n"), r.toString());
        assertEquals(
                "hello from uniwasm\narg[0]=hello.wasm\narg[1]=x\narg[2]=y z\nenv A=1\nenv PATH=/bin\n",
                r.out(),
                r.toString());
        assertEquals("hello on stderr\n", r.err(), r.toString());
        assertTrue(r.report().contains("exit 0\n") && r.report().contains("delete 0\n"), r.toString());
        assertTrue(r.report().lines().anyMatch(l -> l.endsWith("/" + CGROUP_PARENT + "/vm-args")), r.toString());
        oci.assertNothingLeft("vm-args", r);
    }

    /**
     * In namespaces of its own, as ctr run gives them: QEMU is a host program, so its mount namespace
     * keeps the host's files (no pivot into the image's root), and the VM still runs.
     */
    @Test
    void aVmContainerRunsInNewNamespaces() throws Exception {
        Run r = oci.finish(
                "vm-ns",
                start("vm-ns", helloRootfs, List.of("/hello.wasm", "x"), List.of(), VM, false, null, ALL_NEW, "box"));
        assertTrue(r.out().startsWith("hello from uniwasm\narg[0]=hello.wasm\narg[1]=x\n"), r.toString());
        assertTrue(r.report().contains("exit 0\n") && r.report().contains("delete 0\n"), r.toString());
        oci.assertNothingLeft("vm-ns", r);
    }

    @Test
    void aVmContainersExitStatusIsTheAppsAndATrapIsAsInUniwasmRun() throws Exception {
        Run exit = run("vm-exit42", exitRootfs, List.of("/exit42.wasm"), List.of(), VM, false, null);
        assertTrue(exit.report().contains("exit 42\n"), exit.toString());
        oci.assertNothingLeft("vm-exit42", exit);
        Run trap = run("vm-trap", trapRootfs, List.of("/trap_divide_by_zero.wasm"), List.of(), VM, false, null);
        assertTrue(trap.report().contains("exit 130\n"), trap.toString());
        assertTrue(trap.err().contains("trap: integer divide by zero"), trap.toString());
        oci.assertNothingLeft("vm-trap", trap);
    }

    /** A VM that ends without the kernel's "exit N" is status 70 with QEMU's own words, as with uniwasm run. */
    @Test
    void aVmThatDoesNotBootIsStatus70WithQemusMessage() throws Exception {
        Path rootfs = dir.resolve("rootfs-unbootable");
        OciImages.run(List.of("cp", "-a", helloRootfs.toString(), rootfs.toString()));
        Files.writeString(rootfs.resolve(".uniwasm/hello.wasm.x86_64-pvh"), "not an image\n");
        Run r = run("vm-unbootable", rootfs, List.of("/hello.wasm"), List.of(), VM, false, null);
        assertTrue(r.report().contains("exit 70\n"), r.toString());
        assertTrue(
                r.err()
                        .startsWith(
                                "uniwasm-runtime: the VM ended without reporting an exit status (QEMU exited with status 1)\n  "),
                r.toString());
        oci.assertNothingLeft("vm-unbootable", r);
    }

    /**
     * Without stdin (the runtime's fd 0 closed) a process container's app reads the end of its
     * input at once, and its stdout is still the container's: no file the runtime opened takes
     * an empty stdio slot.
     */
    @Test
    void aProcessContainerWithoutStdinReadsItsEnd() throws Exception {
        Run r = run(
                "nostdin", helloRootfs, List.of("/hello.wasm", "--read-line"), List.of(), Map.of(), false, null, false);
        assertEquals(
                "hello from uniwasm\narg[0]=hello.wasm\narg[1]=--read-line\nstdin: <end of file>\n",
                r.out(),
                r.toString());
        assertTrue(r.report().contains("exit 0\n"), r.toString());
        oci.assertNothingLeft("nostdin", r);
    }

    /** A container without stdin (fd 0 closed) gives the app an empty one, not one of the runtime's own descriptors. */
    @Test
    void aVmContainerWithoutStdinReadsItsEnd() throws Exception {
        Run r = run(
                "vm-nostdin", helloRootfs, List.of("/hello.wasm", "--read-line"), List.of(), VM, false, null, false);
        assertEquals(
                "hello from uniwasm\narg[0]=hello.wasm\narg[1]=--read-line\nstdin: <end of file>\n",
                r.out(),
                r.toString());
        assertTrue(r.report().contains("exit 0\n"), r.toString());
        oci.assertNothingLeft("vm-nostdin", r);
    }

    /** SIGTERM stops QEMU, which runs in the container's cgroups, and the container ends as runc's would (signal 15). */
    @Test
    void killStopsAVmContainerPromptly() throws Exception {
        long started = System.nanoTime();
        Run r = run("vm-kill", helloRootfs, List.of("/hello.wasm", "--read-line"), List.of(), VM, false, "SIGTERM");
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(r.report().contains("\"status\":\"running\"") && r.report().contains("kill 0\n"), r.toString());
        assertTrue(r.report().contains("signal 15\n"), r.toString());
        List<String> qemuCgroups =
                r.report().lines().filter(l -> l.startsWith("child-cgroup ")).toList();
        assertFalse(qemuCgroups.isEmpty(), "QEMU is not the container process's child\n" + r);
        for (String line : qemuCgroups) {
            if (line.matches("child-cgroup \\d+:[^:]*(memory|pids)[^:]*:.*") || line.startsWith("child-cgroup 0::")) {
                assertTrue(
                        line.endsWith(":/" + CGROUP_PARENT + "/vm-kill"),
                        "QEMU is not in the container's cgroup: " + line + "\n" + r);
            }
        }
        assertTrue(ms < 30_000, "took " + ms + " ms\n" + r);
        oci.assertNothingLeft("vm-kill", r);
    }

    /**
     * The runtime writes the VM's run-time boot configuration itself (in C, without a JVM); its bytes
     * are those of the Java writer (BootConfig, the format's definition with the kernel's reader) for
     * the same arguments and environment. Entries that are not KEY=VALUE are dropped, as the process
     * way drops them. A container whose stdin is /dev/null gets the no-stdin flag (its app reads the
     * end at once, and the supervisor sends no "eof" line); one with a pipe, even an empty one, does
     * not. The file lives in the container's folder and goes with delete.
     */
    @Test
    void theVmsBootConfigurationIsTheJavaWritersBytes() throws Exception {
        Path bundle = oci.bundle("vm-config");
        List<String> args = List.of("/hello.wasm", "x", "ü € 𝄞", "");
        Files.writeString(
                bundle.resolve("config.json"),
                "{\"process\":{\"args\":" + OciImages.jsonList(args) + ",\"env\":"
                        + OciImages.jsonList(List.of("A=1", "NOEQUALS", "=x", "B=", "C=d=e")) + "},\"root\":{\"path\":"
                        + OciImages.json(helloRootfs.toString())
                        + "},\"annotations\":{\"dev.uniwasm.isolation\":\"vm\"},\"linux\":"
                        + "{\"cgroupsPath\":\"/" + CGROUP_PARENT + "/vm-config\"}}");
        Path written = oci.root().resolve("vm-config/bootconfig");
        dev.uniwasm.image.BootConfig config = new dev.uniwasm.image.BootConfig(
                List.of("hello.wasm", "x", "ü € 𝄞", ""), List.of("A=1", "B=", "C=d=e"), false);
        for (boolean devNull : List.of(true, false)) {
            try {
                Call create = oci.callWithInput(
                        List.of(), devNull ? null : "", "create", "--bundle", bundle.toString(), "vm-config");
                assertEquals(0, create.status(), create.out());
                byte[] expected = (devNull ? config.withoutStdin() : config).encode();
                assertArrayEquals(expected, Files.readAllBytes(written), "stdin /dev/null: " + devNull);
            } finally {
                require("delete", "--force", "vm-config");
            }
        }
        assertFalse(
                Files.exists(oci.root().resolve("vm-config")),
                "the container's folder and its boot configuration were left");
    }

    /** The supervisor's command is no command of the user's: run without the descriptors create gives it, it refuses. */
    @Test
    void theSupervisorsCommandRefusesToRunOutsideAContainer() throws Exception {
        Process p = new ProcessBuilder(
                        oci.runtime().toString(), "vm-supervisor", "tcg", "stdin", "--", "/bin/echo", "ran")
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertEquals(
                "uniwasm-runtime: vm-supervisor is the process of a VM container, which create starts; it is not a"
                        + " command\n",
                out);
    }

    /** The runtime with these arguments after --root, which must succeed. */
    private static void require(String... args) throws IOException, InterruptedException {
        Call c = oci.call(List.of(), args);
        assertEquals(0, c.status(), String.join(" ", args) + ": " + c.out());
    }

    /** The log's last line is an error naming expected, and create failed. */
    private static void assertLastLogError(Run r, String expected) {
        assertTrue(r.lastLogError().contains(expected), r.toString());
        assertTrue(r.report().startsWith("create 1\n"), r.toString());
    }

    @Test
    void aServerJoinsTheNetworkNamespaceItsConfigNames() throws Exception {
        String ns = "uwoci-" + ProcessHandle.current().pid();
        OciImages.run(List.of("ip", "netns", "add", ns));
        try {
            // as CNI would for a pod: the namespace's creator brings its loopback up, not the runtime
            OciImages.run(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
            Run r = oci.withContainer(
                    "joined",
                    start(
                            "joined",
                            echoRootfs,
                            List.of("/tcp_echo.wasm", "1"),
                            Map.of(),
                            "[{\"type\":\"network\",\"path\":\"/var/run/netns/" + ns + "\"}]"),
                    p -> {
                        oci.startedPid("joined", p);
                        assertEquals("ping", TestSockets.pingFrom(List.of("ip", "netns", "exec", ns), echoPort));
                    });
            assertTrue(r.report().contains("exit 0\n"), r.toString());
            assertTrue(r.out().contains("connection 1: 4 bytes echoed"), r.toString());
            oci.assertNothingLeft("joined", r);
        } finally {
            OciImages.run(List.of("ip", "netns", "delete", ns));
        }
    }

    @Test
    void aServerWithoutANetworkNamespaceEntryListensOnTheHostsLoopback() throws Exception {
        Run r = oci.withContainer(
                "hostnet",
                start("hostnet", echoRootfs, List.of("/tcp_echo.wasm", "1"), Map.of(), ALL_BUT_NETWORK),
                p -> {
                    oci.startedPid("hostnet", p);
                    assertEquals("ping", TestSockets.pingFrom(List.of(), echoPort));
                });
        assertTrue(r.report().contains("exit 0\n"), r.toString());
        oci.assertNothingLeft("hostnet", r);
    }

    /**
     * Every namespace new: the server answers inside its own network namespace (loopback up) and
     * not on the host's loopback; the app is its pid namespace's init, yet the pid file and state
     * name its host pid; its mount namespace holds its root only; the hostname is the config's.
     */
    @Test
    void aServerInNamespacesOfItsOwnIsReachableOnlyInside() throws Exception {
        Process p = start(
                "private",
                echoRootfs,
                List.of("/tcp_echo.wasm", "2"),
                List.of(),
                Map.of(),
                false,
                null,
                ALL_NEW,
                "box");
        long pid;
        try {
            pid = oci.startedPid("private", p);
            List<String> inside = List.of("nsenter", "-t", Long.toString(pid), "-n");
            assertEquals("ping", TestSockets.pingFrom(inside, echoPort));
            // it listens now (it answered and waits for a second connection): the host's port is another's
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", echoPort), 5_000);
                throw new AssertionError(
                        "a container with a network namespace of its own answered on the host's loopback");
            } catch (java.net.ConnectException expected) {
                // refused: nothing listens there
            }
            String status = Files.readString(Path.of("/proc/" + pid + "/status"));
            assertTrue(status.lines().anyMatch(l -> l.matches("NSpid:\\s+" + pid + "\\s+1")), status);
            for (String type : List.of("net", "pid", "ipc", "uts", "mnt", "cgroup")) {
                assertFalse(
                        Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + type))
                                .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/" + type))),
                        type + " namespace is the host's");
            }
            assertEquals(
                    1,
                    Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo")).size(),
                    "the container's root is its only mount");
            assertEquals("box\n", OciImages.run(List.of("nsenter", "-t", Long.toString(pid), "-u", "hostname")));
            assertEquals("ping", TestSockets.pingFrom(inside, echoPort));
        } catch (Throwable t) {
            oci.stop(List.of(), "private", p);
            throw t;
        }
        Run r = oci.finish("private", p);
        assertTrue(r.report().contains("exit 0\n"), r.toString());
        assertTrue(r.report().contains("pid " + pid + "\n"), r.toString());
        oci.assertNothingLeft("private", r);
    }

    /** ps --format json: the pids it lists. */
    private static List<Long> ps(String id) throws Exception {
        Process p = new ProcessBuilder(
                        oci.runtime().toString(), "--root", oci.root().toString(), "ps", "--format", "json", id)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ps did not end");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("[") && out.endsWith("]"), out);
        String inner = out.substring(1, out.length() - 1);
        return inner.isEmpty()
                ? List.of()
                : java.util.Arrays.stream(inner.split(",")).map(Long::parseLong).toList();
    }

    /**
     * A VM container of a --tcplisten image serves: QEMU, in the network namespace the container
     * joined, forwards the image's listener (127.0.0.1:PORT there) to its guest, as the process
     * container listens there itself. ps lists every process of the container's cgroup, as runc
     * does: the supervisor (the container's pid) and QEMU, its child, which under TCG runs without
     * transparent huge pages. The supervisor is the runtime executed again, not the fork of create:
     * it holds a few pages of its own (docs/oci.md, "A VM container's memory": 20 KiB; a fork of
     * create held 150, glibc's start-up alone 68, with 4 KiB relay buffers and below the runc
     * commands' frame 28-32), and gets no environment (the runtime's is the shim's).
     */
    @Test
    void aVmServerAnswersInTheNetworkNamespaceItJoinsAndPsListsQemu() throws Exception {
        String ns = "uwocivm-" + ProcessHandle.current().pid();
        OciImages.run(List.of("ip", "netns", "add", ns));
        try {
            OciImages.run(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
            Run r = oci.withContainer(
                    "vm-joined",
                    start(
                            "vm-joined",
                            echoRootfs,
                            List.of("/tcp_echo.wasm", "1"),
                            VM,
                            "[{\"type\":\"network\",\"path\":\"/var/run/netns/" + ns + "\"}]"),
                    p -> {
                        long pid = oci.startedPid("vm-joined", p);
                        // start returns once the FIFO is open; the supervisor forks QEMU a moment later
                        List<Long> qemu = List.of();
                        for (int i = 0; i < 100 && qemu.isEmpty(); i++) {
                            if (i > 0) Thread.sleep(100);
                            qemu = ProcessHandle.of(pid)
                                    .orElseThrow()
                                    .children()
                                    .map(ProcessHandle::pid)
                                    .toList();
                        }
                        List<Long> listed = ps("vm-joined");
                        assertEquals(1, qemu.size(), "the supervisor's children: " + qemu);
                        assertEquals(
                                java.util.stream.Stream.of(pid, qemu.getFirst())
                                        .sorted()
                                        .toList(),
                                listed);
                        if (!Files.isWritable(Path.of("/dev/kvm"))) {
                            // under TCG, QEMU runs without transparent huge pages (docs/oci.md, "A VM container's
                            // memory")
                            String status = Files.readString(Path.of("/proc/" + qemu.getFirst() + "/status"));
                            assertTrue(status.contains("\nTHP_enabled:\t0\n"), status);
                        }
                        // before the one connection the app serves, after which it ends
                        String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
                        assertTrue(cmdline.startsWith("uniwasm-runtime\0vm-supervisor\0"), cmdline);
                        long anonymousKib = Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup")).stream()
                                .filter(l -> l.startsWith("Anonymous:"))
                                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                                .sum();
                        assertTrue(
                                anonymousKib <= 24,
                                "the supervisor holds " + anonymousKib + " KiB of anonymous memory");
                        assertEquals(
                                0,
                                Files.readAllBytes(Path.of("/proc/" + pid + "/environ")).length,
                                "bytes of the supervisor's environment");
                        assertEquals("ping", TestSockets.pingForwarded(List.of("ip", "netns", "exec", ns), echoPort));
                    });
            assertTrue(r.report().contains("exit 0\n"), r.toString());
            assertTrue(r.out().contains("connection 1: 4 bytes echoed"), r.toString());
            oci.assertNothingLeft("vm-joined", r);
        } finally {
            OciImages.run(List.of("ip", "netns", "delete", ns));
        }
    }

    /** Every namespace new: the VM server answers in the container's own network namespace, not on the host's loopback. */
    @Test
    void aVmServerInNamespacesOfItsOwnIsReachableOnlyInside() throws Exception {
        Run r = oci.withContainer(
                "vm-private",
                start(
                        "vm-private",
                        echoRootfs,
                        List.of("/tcp_echo.wasm", "1"),
                        List.of(),
                        VM,
                        false,
                        null,
                        ALL_NEW,
                        "box"),
                p -> {
                    long pid = oci.startedPid("vm-private", p);
                    assertEquals(
                            "ping",
                            TestSockets.pingForwarded(List.of("nsenter", "-t", Long.toString(pid), "-n"), echoPort));
                    try (java.net.Socket s = new java.net.Socket()) {
                        s.connect(new java.net.InetSocketAddress("127.0.0.1", echoPort), 5_000);
                        throw new AssertionError(
                                "a VM container with a network namespace of its own answered on the host's loopback");
                    } catch (java.net.ConnectException expected) {
                        // refused: QEMU's forward is bound in the container's namespace only
                    }
                });
        assertTrue(r.report().contains("exit 0\n"), r.toString());
        oci.assertNothingLeft("vm-private", r);
    }

    /**
     * The compiled forms and the VM's command line are opened inside the container's root: an image
     * whose .uniwasm/ entry is a symlink to a host file (here another image's compiled form, at its
     * absolute host path) names the root's own file of that path, which it lacks, so create fails
     * with one line instead of running the host's file.
     */
    @Test
    void aProcessFormThatIsASymlinkToAHostFileDoesNotReachIt() throws Exception {
        Path rootfs = dir.resolve("rootfs-symlink-process");
        OciImages.run(List.of("cp", "-a", helloRootfs.toString(), rootfs.toString()));
        Path compiled = rootfs.resolve(".uniwasm");
        Path hostExecutable = exitRootfs.resolve(".uniwasm/exit42.wasm.x86_64-linux");
        Files.delete(compiled.resolve("hello.wasm.x86_64-linux"));
        Files.createSymbolicLink(compiled.resolve("hello.wasm.x86_64-linux"), hostExecutable);
        Run process = run("link-process", rootfs, List.of("/hello.wasm"), List.of());
        assertLastLogError(
                process,
                "cannot open /.uniwasm/hello.wasm.x86_64-linux in the container's root " + rootfs
                        + ": No such file or directory");
        oci.assertNothingLeft("link-process", process);
    }

    /** As above for a VM container: its image, and its QEMU command line. */
    @Test
    void aVmFormOrCommandLineThatIsASymlinkToAHostFileDoesNotReachIt() throws Exception {
        Path rootfs = dir.resolve("rootfs-symlink-vm");
        OciImages.run(List.of("cp", "-a", helloRootfs.toString(), rootfs.toString()));
        Path compiled = rootfs.resolve(".uniwasm");
        Path vmImage = compiled.resolve("hello.wasm.x86_64-pvh");
        Path helloVm = Files.copy(vmImage, dir.resolve("host-hello.img"));
        Files.delete(vmImage);
        Files.createSymbolicLink(vmImage, exitRootfs.resolve(".uniwasm/exit42.wasm.x86_64-pvh"));
        Run vm = run("link-vm", rootfs, List.of("/hello.wasm"), List.of(), VM, false, null);
        assertLastLogError(
                vm,
                "cannot open /.uniwasm/hello.wasm.x86_64-pvh in the container's root " + rootfs
                        + ": No such file or directory");
        oci.assertNothingLeft("link-vm", vm);

        // the image itself, and its QEMU command line a symlink to a host file
        Files.delete(vmImage);
        Files.copy(helloVm, vmImage);
        Path qemu = compiled.resolve("hello.wasm.x86_64-pvh.qemu");
        Path hostQemu = Files.copy(qemu, dir.resolve("host-hello.qemu"));
        Files.delete(qemu);
        Files.createSymbolicLink(qemu, hostQemu);
        Run command = run("link-qemu", rootfs, List.of("/hello.wasm"), List.of(), VM, false, null);
        assertLastLogError(
                command,
                "cannot read /.uniwasm/hello.wasm.x86_64-pvh.qemu in the container's root: "
                        + "No such file or directory");
        oci.assertNothingLeft("link-qemu", command);
    }

    /** As its pid namespace's init, the app would get no SIGTERM from Linux; the process platform ends it with 128 + 15. */
    @Test
    void killEndsAnAppThatIsItsPidNamespacesInit() throws Exception {
        Run r = oci.finish(
                "nskill",
                start(
                        "nskill",
                        helloRootfs,
                        List.of("/hello.wasm", "--read-line"),
                        List.of(),
                        Map.of(),
                        false,
                        "SIGTERM",
                        ALL_NEW,
                        null));
        assertTrue(r.report().contains("\"status\":\"running\""), r.toString());
        assertTrue(r.report().contains("kill 0\n"), r.toString());
        assertTrue(r.report().contains("exit 143\n"), r.toString());
        oci.assertNothingLeft("nskill", r);
    }

    /** The image's outbound rules hold in a container: the port allowed connects, another is EACCES (2) before any packet. */
    @Test
    void aClientContainerReachesWhatItsImageAllowsOnly() throws Exception {
        try (java.net.ServerSocket allowed =
                new java.net.ServerSocket(0, 4, java.net.InetAddress.getLoopbackAddress())) {
            int other = TestSockets.freeLoopbackPort();
            Path rootfs = dir.resolve("rootfs-outbound");
            OciImages.unpackLayer(
                    OciImages.build(
                            Files.createDirectories(dir.resolve("images-outbound")),
                            "outbound_probe",
                            "probe",
                            "--allow-outbound",
                            "127.0.0.1:" + allowed.getLocalPort()),
                    rootfs);
            String toAllowed = "tcp:127.0.0.1:" + allowed.getLocalPort(), toOther = "tcp:127.0.0.1:" + other;
            Run r = run("outbound", rootfs, List.of("/outbound_probe.wasm", toAllowed, toOther), List.of());
            assertEquals(toAllowed + ": ok\n" + toOther + ": errno 2\n", r.out(), r.toString());
            assertTrue(r.report().contains("exit 0\n"), r.toString());
            oci.assertNothingLeft("outbound", r);
        }
    }

    @Test
    void namespacesItCannotApplyAreOneErrorInTheLog() throws Exception {
        Run user = oci.finish(
                "userns", start("userns", helloRootfs, List.of("/hello.wasm"), Map.of(), "[{\"type\":\"user\"}]"));
        assertLastLogError(user, "user namespaces are not supported for uniwasm containers");
        oci.assertNothingLeft("userns", user);
        Run missing = oci.finish(
                "nons",
                start(
                        "nons",
                        helloRootfs,
                        List.of("/hello.wasm"),
                        Map.of(),
                        "[{\"type\":\"network\",\"path\":\"/var/run/netns/uniwasm-no-such-namespace\"}]"));
        assertLastLogError(missing, "cannot open the network namespace /var/run/netns/uniwasm-no-such-namespace");
        oci.assertNothingLeft("nons", missing);
        Run wrongType = oci.finish(
                "wrongns",
                start(
                        "wrongns",
                        helloRootfs,
                        List.of("/hello.wasm"),
                        Map.of(),
                        "[{\"type\":\"network\",\"path\":\"/proc/self/ns/uts\"}]"));
        assertLastLogError(
                wrongType, "cannot join the network namespace /proc/self/ns/uts: not a namespace of that type");
        oci.assertNothingLeft("wrongns", wrongType);
        Run hostname = oci.finish(
                "nouts",
                start("nouts", helloRootfs, List.of("/hello.wasm"), List.of(), Map.of(), false, null, null, "box"));
        assertLastLogError(hostname, "hostname needs a uts namespace");
        oci.assertNothingLeft("nouts", hostname);
    }

    @Test
    void otherBundlesAndContainersGoToRuncWithTheSameArguments() throws Exception {
        Path fakeRunc = dir.resolve("fake-runc");
        Path calls = dir.resolve("runc-calls");
        Files.writeString(fakeRunc, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> " + calls + "\n");
        fakeRunc.toFile().setExecutable(true);
        Path bundle = oci.bundle("native");
        Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.writeString(
                bundle.resolve("config.json"), "{\"process\":{\"args\":[\"/bin/sh\"]},\"root\":{\"path\":\"rootfs\"}}");
        List<List<String>> commands = List.of(
                List.of(
                        "--root",
                        oci.root().toString(),
                        "--log",
                        "L",
                        "--log-format",
                        "json",
                        "create",
                        "--bundle",
                        bundle.toString(),
                        "--pid-file",
                        "P",
                        "native"),
                List.of("--root", oci.root().toString(), "start", "native"),
                List.of("--root", oci.root().toString(), "delete", "--force", "native"),
                List.of("--version"));
        for (List<String> args : commands) {
            List<String> command = new ArrayList<>(List.of(oci.runtime().toString()));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("UNIWASM_RUNC", fakeRunc.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
        }
        List<String> seen = Files.readAllLines(calls);
        assertEquals(commands.stream().map(a -> String.join(" ", a)).toList(), seen);
    }

    /** Namespaces of their own but the network: the echo server listens on the host's loopback, where the test connects. */
    private static final String ALL_BUT_NETWORK =
            "[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}]";

    /** The status `state` gives, as the shim reads it. */
    private static String status(List<String> prefix, String id) throws IOException, InterruptedException {
        Call state = oci.call(prefix, "state", id);
        assertEquals(0, state.status(), state.out());
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\"status\":\"(\\w+)\"").matcher(state.out());
        assertTrue(m.find(), state.out());
        return m.group(1);
    }

    /**
     * A connection to the paused echo server on the host's loopback (the kernel completes it into the
     * listener's backlog): "ping" gets no answer while paused; resume, then the answer comes on the
     * same connection.
     */
    private static void assertPausedUntilResumed(List<String> prefix, String id, boolean throughQemu) throws Exception {
        try (java.net.Socket s = TestSockets.connect(new java.net.InetSocketAddress("127.0.0.1", echoPort))) {
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(2_000);
            try {
                int b = s.getInputStream().read();
                throw new AssertionError("a paused container answered (" + b + ")");
            } catch (java.net.SocketTimeoutException expected) {
                // frozen: nothing accepted or echoed
            }
            assertEquals("paused", status(prefix, id));
            Call resume = oci.call(prefix, "resume", id);
            assertEquals(0, resume.status(), resume.out());
            assertEquals("running", status(prefix, id));
            s.setSoTimeout(TestSockets.TIMEOUT_MILLIS);
            assertEquals(
                    "ping",
                    new String(TestSockets.readExactly(s.getInputStream(), 4), StandardCharsets.US_ASCII),
                    throughQemu ? "through QEMU's forward" : "from the app");
        }
    }

    /**
     * pause freezes the container's cgroup (cgroup v1's freezer on this hybrid host, as runc): the
     * echo server makes no progress and state says paused; a second pause, or resume of a running
     * container, is one error line; resume lets it go on, answering the connection that waited.
     */
    @Test
    void pauseFreezesAProcessContainerAndResumeLetsItGoOn() throws Exception {
        Run r = oci.withContainer(
                "pause", start("pause", echoRootfs, List.of("/tcp_echo.wasm", "2"), Map.of(), ALL_BUT_NETWORK), p -> {
                    long pid = oci.startedPid("pause", p);
                    assertEquals("ping", TestSockets.pingFrom(List.of(), echoPort));
                    Call notPaused = oci.call(List.of(), "resume", "pause");
                    assertEquals(1, notPaused.status(), notPaused.out());
                    assertEquals(
                            "uniwasm-runtime: cannot resume container pause: it is running, not paused\n",
                            notPaused.out());
                    Call pause = oci.call(List.of(), "pause", "pause");
                    assertEquals(0, pause.status(), pause.out());
                    Call again = oci.call(List.of(), "pause", "pause");
                    assertEquals(
                            "uniwasm-runtime: cannot pause container pause: it is paused, not running or created\n",
                            again.out());
                    String freezer = Files.readString(Path.of("/proc/" + pid + "/cgroup"))
                            .lines()
                            .filter(l -> l.matches("\\d+:freezer:.*"))
                            .findFirst()
                            .orElse(null);
                    if (freezer != null) {
                        assertTrue(freezer.endsWith(":/" + CGROUP_PARENT + "/pause"), freezer);
                        assertEquals(
                                "FROZEN\n",
                                Files.readString(
                                        Host.CGROUPS.resolve("freezer/" + CGROUP_PARENT + "/pause/freezer.state")));
                    }
                    assertPausedUntilResumed(List.of(), "pause", false);
                });
        assertTrue(r.report().contains("exit 0\n"), r.toString());
        assertTrue(r.out().contains("connection 2: 4 bytes echoed"), r.toString());
        oci.assertNothingLeft("pause", r);
    }

    /**
     * A paused container is not deleted without --force, and SIGKILL still ends it (its frozen
     * processes are thawed to take it, as runc does); then delete leaves nothing.
     */
    @Test
    void killEndsAPausedContainer() throws Exception {
        Run r = oci.withContainer(
                "pause-kill",
                start("pause-kill", helloRootfs, List.of("/hello.wasm", "--read-line"), Map.of(), ALL_NEW),
                p -> {
                    oci.startedPid("pause-kill", p);
                    assertEquals(0, oci.call(List.of(), "pause", "pause-kill").status());
                    Call delete = oci.call(List.of(), "delete", "pause-kill");
                    assertEquals(1, delete.status(), delete.out());
                    assertEquals(
                            "uniwasm-runtime: cannot delete container pause-kill that is not stopped: paused (use --force)\n",
                            delete.out());
                    Call kill = oci.call(List.of(), "kill", "pause-kill", "KILL");
                    assertEquals(0, kill.status(), kill.out());
                });
        assertTrue(r.report().contains("signal 9\n") && r.report().contains("delete 0\n"), r.toString());
        oci.assertNothingLeft("pause-kill", r);
    }

    /** delete --force of a paused container kills and removes it at once. */
    @Test
    void deleteForceRemovesAPausedContainer() throws Exception {
        Process p = start("pause-delete", helloRootfs, List.of("/hello.wasm", "--read-line"), Map.of(), ALL_NEW);
        try {
            oci.startedPid("pause-delete", p);
            assertEquals(0, oci.call(List.of(), "pause", "pause-delete").status());
            Call delete = oci.call(List.of(), "delete", "--force", "pause-delete");
            assertEquals(0, delete.status(), delete.out());
        } catch (Throwable t) {
            oci.stop(List.of(), "pause-delete", p);
            throw t;
        }
        // the shim's own delete then finds no container: runc's answer to an unknown id
        Run r = oci.finish("pause-delete", p);
        assertTrue(r.report().contains("signal 9\n"), r.toString());
        oci.assertNothingLeft("pause-delete", r);
    }

    /**
     * On a host whose /sys/fs/cgroup is the cgroup v2 hierarchy (here the unified one of this hybrid
     * host bound there, in a mount namespace of the test's own, shim and runtime alike), pause
     * freezes through cgroup.freeze and waits for cgroup.events to say frozen.
     */
    @Test
    void pauseUsesCgroupFreezeOnCgroupV2() throws Exception {
        Host.assumeUnifiedHierarchy();
        String id = "pause-v2";
        // no limits: the memory and pids controllers are v1's on this host
        Process p = oci.start(
                id,
                config(id, echoRootfs, List.of("/tcp_echo.wasm", "2"), "", ""),
                Launch.PLAIN.after(Host.unifiedAsCgroupV2()));
        // the shim's mount namespace, where the container's cgroup is under /sys/fs/cgroup
        List<String> inside = List.of("nsenter", "-t", Long.toString(p.pid()), "-m");
        List<String> enabledBefore = Host.unifiedRootControllers();
        try {
            long pid = oci.startedPid(id, p);
            assertEquals("ping", TestSockets.pingFrom(List.of(), echoPort));
            Call pause = oci.call(inside, "pause", id);
            assertEquals(0, pause.status(), pause.out());
            Path cgroup = Host.UNIFIED.resolve(CGROUP_PARENT).resolve(id);
            assertEquals("1\n", Files.readString(cgroup.resolve("cgroup.freeze")));
            assertTrue(Files.readString(cgroup.resolve("cgroup.events")).contains("frozen 1\n"));
            // the v1 freezer, which the runtime does not see in that namespace, is left alone
            assertTrue(
                    Files.readString(Path.of("/proc/" + pid + "/cgroup"))
                            .lines()
                            .noneMatch(l -> l.matches("\\d+:freezer:/.+")),
                    "the container joined a v1 hierarchy");
            assertPausedUntilResumed(inside, id, false);
            assertEquals("0\n", Files.readString(cgroup.resolve("cgroup.freeze")));
        } catch (Throwable t) {
            oci.stop(inside, id, p);
            throw t;
        }
        Run r = oci.finish(id, p);
        assertTrue(r.report().contains("exit 0\n"), r.toString());
        oci.assertNothingLeft(id, r);
        Host.restoreUnifiedRoot(CGROUP_PARENT, enabledBefore);
    }

    /**
     * A VM container pauses whole: supervisor and QEMU are frozen together, so QEMU's forward
     * accepts nothing; resumed, the connection that waited is forwarded to the guest and answered.
     */
    @Test
    void pauseFreezesAVmContainerWhole() throws Exception {
        Run r = oci.withContainer(
                "vm-pause", start("vm-pause", echoRootfs, List.of("/tcp_echo.wasm", "2"), VM, ALL_BUT_NETWORK), p -> {
                    oci.startedPid("vm-pause", p);
                    assertEquals("ping", TestSockets.pingForwarded(List.of(), echoPort));
                    assertEquals(0, oci.call(List.of(), "pause", "vm-pause").status());
                    // both in the frozen cgroup
                    assertEquals(2, ps("vm-pause").size(), "supervisor and QEMU");
                    assertPausedUntilResumed(List.of(), "vm-pause", true);
                });
        assertTrue(r.report().contains("exit 0\n"), r.toString());
        oci.assertNothingLeft("vm-pause", r);
    }

    /** exec (ctr tasks exec) is one error line, which the shim shows, and the container keeps running. */
    @Test
    void execIsOneErrorLineAndTheContainerRunsOn() throws Exception {
        Run r = oci.withContainer(
                "exec", start("exec", echoRootfs, List.of("/tcp_echo.wasm", "2"), Map.of(), ALL_BUT_NETWORK), p -> {
                    oci.startedPid("exec", p);
                    Path bundle = oci.bundle("exec");
                    Path process = Files.writeString(
                            bundle.resolve("exec-process.json"), "{\"args\":[\"/tcp_echo.wasm\"],\"cwd\":\"/\"}");
                    Path log = bundle.resolve("exec-log.json");
                    // as the shim runs it
                    Call exec = oci.call(
                            List.of(),
                            "exec",
                            "--process",
                            process.toString(),
                            "--detach",
                            "--pid-file",
                            bundle.resolve("exec.pid").toString(),
                            "exec");
                    assertEquals(1, exec.status(), exec.out());
                    String line =
                            "exec is not supported for wasi/wasm containers: exec runs one Wasm module and has no other program to run";
                    assertEquals("uniwasm-runtime: " + line + "\n", exec.out());
                    Call logged = oci.call(
                            List.of(),
                            "--log",
                            log.toString(),
                            "--log-format",
                            "json",
                            "exec",
                            "--process",
                            process.toString(),
                            "exec");
                    assertEquals(1, logged.status(), logged.out());
                    String json = Files.readString(log);
                    assertTrue(json.startsWith("{\"level\":\"error\",\"msg\":\"" + line + "\",\"time\":"), json);
                    assertEquals("running", status(List.of(), "exec"));
                    assertEquals("ping", TestSockets.pingFrom(List.of(), echoPort));
                    assertEquals("ping", TestSockets.pingFrom(List.of(), echoPort));
                });
        assertTrue(r.report().contains("exit 0\n"), r.toString());
        oci.assertNothingLeft("exec", r);
    }

    /** config.json for rootfs with these args, namespaces (JSON), the container's cgroup, and more members of process and of the top. */
    private static String config(String id, Path rootfs, List<String> args, String process, String top) {
        return oci.config(id, rootfs, args, List.of(), process, top, ",\"namespaces\":" + ALL_BUT_NETWORK);
    }

    /**
     * process.rlimits and process.oomScoreAdj are the app's, under a user that is not root: the
     * hard RLIMIT_NOFILE (1024, containerd's default) is below what the process platform's sandbox
     * asks for a server (3 + 1024 sockets), which it then keeps to rather than failing; the limits
     * the sandbox does not lower (CPU time, file size) are the container's.
     */
    @Test
    void theContainersRlimitsAndOomScoreHoldForTheAppUnderItsUser() throws Exception {
        String id = "rlimits";
        Run r = oci.withContainer(
                id,
                oci.start(
                        id,
                        config(
                                id,
                                echoRootfs,
                                List.of("/tcp_echo.wasm", "2"),
                                ",\"user\":{\"uid\":65534,\"gid\":65534},\"oomScoreAdj\":321,\"rlimits\":["
                                        + "{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024},"
                                        + "{\"type\":\"RLIMIT_CPU\",\"hard\":200,\"soft\":100},"
                                        + "{\"type\":\"RLIMIT_FSIZE\",\"hard\":2097152,\"soft\":1048576}]",
                                ""),
                        Launch.PLAIN),
                p -> {
                    long pid = oci.startedPid(id, p);
                    // it answers: the sandbox was installed
                    assertEquals("ping", TestSockets.pingFrom(List.of(), echoPort));
                    List<String> limits = Files.readAllLines(Path.of("/proc/" + pid + "/limits"));
                    assertTrue(
                            limits.stream().anyMatch(l -> l.matches("Max cpu time\\s+100\\s+200\\s+seconds\\s*")),
                            limits.toString());
                    assertTrue(
                            limits.stream()
                                    .anyMatch(l -> l.matches("Max file size\\s+1048576\\s+2097152\\s+bytes\\s*")),
                            limits.toString());
                    assertTrue(
                            limits.stream().anyMatch(l -> l.matches("Max open files\\s+1024\\s+1024\\s+files\\s*")),
                            limits.toString());
                    assertEquals("321\n", Files.readString(Path.of("/proc/" + pid + "/oom_score_adj")));
                    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
                    assertTrue(status.contains("\nUid:\t65534\t65534\t65534\t65534\n"), status);
                    assertEquals("ping", TestSockets.pingFrom(List.of(), echoPort));
                });
        assertTrue(r.report().contains("exit 0\n"), r.toString());
        oci.assertNothingLeft(id, r);
    }

    /** What the runtime cannot apply of process.rlimits is one error line: an unknown type, a soft limit above its hard one. */
    @Test
    void rlimitsItCannotApplyAreOneErrorLine() throws Exception {
        Run unknown = oci.finish(
                "rlimit-type",
                oci.start(
                        "rlimit-type",
                        config(
                                "rlimit-type",
                                helloRootfs,
                                List.of("/hello.wasm"),
                                ",\"rlimits\":[{\"type\":\"RLIMIT_BOGUS\",\"hard\":1,\"soft\":1}]",
                                ""),
                        Launch.PLAIN));
        assertLastLogError(
                unknown,
                "config.json: process.rlimits[0]: 'RLIMIT_BOGUS' is not a resource limit (RLIMIT_NOFILE, ...)");
        oci.assertNothingLeft("rlimit-type", unknown);
        Run above = oci.finish(
                "rlimit-above",
                oci.start(
                        "rlimit-above",
                        config(
                                "rlimit-above",
                                helloRootfs,
                                List.of("/hello.wasm"),
                                ",\"rlimits\":[{\"type\":\"RLIMIT_CPU\",\"hard\":10,\"soft\":20}]",
                                ""),
                        Launch.PLAIN));
        assertLastLogError(
                above, "config.json: process.rlimits: RLIMIT_CPU's soft limit 20 is above its hard limit 10");
        oci.assertNothingLeft("rlimit-above", above);
    }

    /**
     * config.json's bind mount onto /etc/resolv.conf (ctr run --net-host adds the host's, CRI the
     * pod's) is made in the container's new mount namespace, its mount point made in the image's
     * root, so that a name lookup of an --allow-ip-name-lookup app reaches the nameserver it names
     * (a responder of the test's own on 127.0.0.77:53); the other mounts are not made.
     */
    @Test
    void theResolvConfMountReachesTheAppsNameLookups() throws Exception {
        Path rootfs = dir.resolve("rootfs-resolver");
        OciImages.unpackLayer(
                OciImages.build(
                        Files.createDirectories(dir.resolve("images-resolver")),
                        "wasmedge_client_checks",
                        "resolver",
                        "--isolation",
                        "process",
                        "--allow-ip-name-lookup"),
                rootfs);
        Path resolvConf = Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.77\n");
        String name = "uniwasm-oci.example";
        try (java.net.DatagramSocket dns =
                new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.77", 53))) {
            Thread responder = new Thread(() -> answerA(dns, new byte[] {(byte) 192, 0, 2, 78}), "dns");
            responder.setDaemon(true);
            responder.start();
            String mounts = ",\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                    + "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/etc/hosts\",\"options\":[\"rbind\",\"ro\"]},"
                    + "{\"destination\":\"/etc/resolv.conf\",\"type\":\"bind\",\"source\":"
                    + OciImages.json(resolvConf.toString())
                    + ",\"options\":[\"rbind\",\"ro\"]}]";
            Run r = oci.finish(
                    "resolver",
                    oci.start(
                            "resolver",
                            config(
                                    "resolver",
                                    rootfs,
                                    List.of("/wasmedge_client_checks.wasm", "resolve", name),
                                    "",
                                    mounts),
                            Launch.PLAIN));
            assertEquals("resolve " + name + ": 192.0.2.78\n", r.out(), r.toString());
            assertTrue(r.report().contains("exit 0\n"), r.toString());
            oci.assertNothingLeft("resolver", r);
        }
        // the mount point, made as runc makes it
        assertEquals("", Files.readString(rootfs.resolve("etc/resolv.conf")));
        assertFalse(Files.exists(rootfs.resolve("etc/hosts")), "a mount other than /etc/resolv.conf was made");
    }

    /** A DNS responder: every A question is answered with address, until the socket closes. */
    private static void answerA(java.net.DatagramSocket dns, byte[] address) {
        byte[] buf = new byte[512];
        while (!dns.isClosed()) {
            java.net.DatagramPacket packet = new java.net.DatagramPacket(buf, buf.length);
            try {
                dns.receive(packet);
                int end = 12;
                while (end < packet.getLength() && buf[end] != 0) end += 1 + (buf[end] & 0xff);
                end += 5; // the root label, QTYPE, QCLASS
                if (end > packet.getLength()) continue;
                java.nio.ByteBuffer r = java.nio.ByteBuffer.allocate(512);
                r.putShort(java.nio.ByteBuffer.wrap(buf).getShort(0)); // the question's id
                r.putShort((short) 0x8180)
                        .putShort((short) 1)
                        .putShort((short) 1)
                        .putShort((short) 0)
                        .putShort((short) 0);
                r.put(buf, 12, end - 12);
                // the answer: a pointer to the question's name, A, IN, TTL 60, 4 bytes
                r.putShort((short) 0xc00c)
                        .putShort((short) 1)
                        .putShort((short) 1)
                        .putInt(60)
                        .putShort((short) 4);
                r.put(address);
                dns.send(new java.net.DatagramPacket(r.array(), r.position(), packet.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * A VM container's new mount namespace keeps the host's files (QEMU is a host program) and gets
     * the /etc/resolv.conf bind mount over its own, which QEMU's user network reads for the guest's
     * DNS forwarder; read-only as asked.
     */
    @Test
    void aVmContainerGetsTheResolvConfMountOverItsNamespacesOwn() throws Exception {
        Path resolvConf = Files.writeString(dir.resolve("vm-resolv.conf"), "nameserver 127.0.0.78\n");
        String mounts =
                ",\"annotations\":{\"dev.uniwasm.isolation\":\"vm\"},\"mounts\":[{\"destination\":\"/etc/resolv.conf\","
                        + "\"type\":\"bind\",\"source\":" + OciImages.json(resolvConf.toString())
                        + ",\"options\":[\"rbind\",\"ro\"]}]";
        Process p = oci.start(
                "vm-resolv",
                config("vm-resolv", helloRootfs, List.of("/hello.wasm", "--read-line"), "", mounts),
                Launch.PLAIN);
        try {
            long pid = oci.startedPid("vm-resolv", p);
            assertEquals(
                    "nameserver 127.0.0.78\n", Files.readString(Path.of("/proc/" + pid + "/root/etc/resolv.conf")));
            String mount = Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo")).stream()
                    .filter(l -> l.split(" ")[4].equals("/etc/resolv.conf"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no mount on /etc/resolv.conf"));
            assertTrue(mount.split(" ")[5].startsWith("ro,"), mount);
            // the host's own is untouched
            assertFalse(Files.readString(Path.of("/etc/resolv.conf")).contains("127.0.0.78"));
        } finally {
            oci.stop(List.of(), "vm-resolv", p);
        }
        Run r = oci.finish("vm-resolv", p);
        oci.assertNothingLeft("vm-resolv", r);
    }
}
