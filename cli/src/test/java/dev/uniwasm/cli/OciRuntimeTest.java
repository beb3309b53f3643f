package dev.uniwasm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * status is the app's, it lives in the container's cgroups, kill ends it, delete leaves nothing;
 * a bundle of the module alone is compiled on first use, once, into the compile cache; a terminal
 * is the app's stdio and controlling terminal, its master handed over the console socket; what it
 * cannot do yet is one error line in the log; other bundles go to runc unchanged.
 */
class OciRuntimeTest {
    /** The cgroup folder the test's containers live under, in every hierarchy. */
    private static final String CGROUP_PARENT = "uniwasm-oci-test";
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

    @TempDir
    static Path dir;
    static Path runtime, shim, root, helloRootfs, exitRootfs, trapRootfs;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "uniwasm-runtime's tests need root (cgroups), as containerd does");
        assumeTrue(Files.isDirectory(CGROUPS), "no cgroups at /sys/fs/cgroup");
        runtime = OciImages.runtime();
        shim = dir.resolve("oci_shim");
        OciImages.run(List.of("clang", "-O2", "-Wall", "-Werror", "-o", shim.toString(),
                Examples.home().resolve("cli/src/test/native/oci_shim.c").toString()));
        root = dir.resolve("runtime-root");
        helloRootfs = rootfs("hello", "--env", "GREETING=hi", "--", "baked");
        exitRootfs = rootfs("exit42");
        trapRootfs = rootfs("trap_divide_by_zero");
    }

    @AfterAll
    static void removeCgroupParents() throws IOException {
        for (Path h : hierarchies()) Files.deleteIfExists(h.resolve(CGROUP_PARENT));
    }

    private static Path rootfs(String example, String... flags) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path rootfs = dir.resolve("rootfs-" + example);
        OciImages.unpackLayer(OciImages.build(images, example, example, flags), rootfs);
        return rootfs;
    }

    /** How the runtime is run: its environment (the compile cache's folder, the CLI it compiles with) and a terminal. */
    record Setup(Map<String, String> environment, boolean terminal, boolean console) {
        static final Setup PLAIN = new Setup(Map.of(), false, false);
    }

    record Run(String report, String out, String err, String log) {
        @Override
        public String toString() {
            return "--- report ---\n" + report + "--- stdout ---\n" + out + "--- stderr ---\n" + err + "--- log ---\n" + log;
        }
    }

    /** A bundle for rootfs with this process, run through oci_shim (with a kill when signal is given). */
    private static Run run(String id, Path rootfs, List<String> args, List<String> env, Map<String, String> annotations,
                           boolean terminal, String signal) throws IOException, InterruptedException {
        return run(id, rootfs, args, env, annotations, new Setup(Map.of(), terminal, false), signal);
    }

    private static Run run(String id, Path rootfs, List<String> args, List<String> env, Map<String, String> annotations,
                           Setup setup, String signal) throws IOException, InterruptedException {
        Path bundle = Files.createDirectories(dir.resolve("bundles").resolve(id));
        StringBuilder notes = new StringBuilder("{");
        annotations.forEach((k, v) -> notes.append(notes.length() > 1 ? "," : "").append(OciImages.json(k)).append(':').append(OciImages.json(v)));
        notes.append('}');
        Files.writeString(bundle.resolve("config.json"), "{\"ociVersion\":\"1.0.2\",\"process\":{\"terminal\":" + setup.terminal()
                + (setup.terminal() ? ",\"consoleSize\":{\"height\":33,\"width\":101}" : "")
                + ",\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[0]},\"args\":" + OciImages.jsonList(args) + ",\"env\":"
                + OciImages.jsonList(env) + ",\"cwd\":\"/\"},\"root\":{\"path\":" + OciImages.json(rootfs.toString())
                + "},\"annotations\":" + notes + ",\"linux\":{\"cgroupsPath\":\"/" + CGROUP_PARENT + "/" + id
                + "\",\"resources\":{\"memory\":{\"limit\":268435456},\"pids\":{\"limit\":16}}}}");
        List<String> command = new ArrayList<>(List.of(shim.toString()));
        if (setup.console()) command.add("--console");
        command.addAll(List.of(runtime.toString(), root.toString(), bundle.toString(), id, bundle.resolve("report").toString()));
        if (signal != null) command.add(signal);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(bundle.resolve("stdout").toFile())
                .redirectError(bundle.resolve("stderr").toFile());
        // a stray compile must not reach the host's own cache
        pb.environment().put("UNIWASM_CACHE", dir.resolve("no-cache-expected").toString());
        pb.environment().putAll(setup.environment());
        Process p = pb.start();
        // oci_shim's own alarm (300 s, for a compile on a loaded machine) ends it first
        if (!p.waitFor(330, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("oci_shim did not end within 330 s");
        }
        assertEquals(0, p.exitValue(), "oci_shim failed: " + Files.readString(bundle.resolve("stderr")));
        Path log = bundle.resolve("log.json");
        return new Run(Files.readString(bundle.resolve("report")), Files.readString(bundle.resolve("stdout")),
                Files.readString(bundle.resolve("stderr")), Files.exists(log) ? Files.readString(log) : "");
    }

    private static Run run(String id, Path rootfs, List<String> args, List<String> env) throws IOException, InterruptedException {
        return run(id, rootfs, args, env, Map.of(), false, null);
    }

    /** Nothing of the container is left: no state folder, no cgroup in any hierarchy. */
    private static void assertNothingLeft(String id, Run r) throws IOException {
        assertFalse(Files.exists(root.resolve(id)), "state of " + id + " left behind\n" + r);
        for (Path h : hierarchies()) assertFalse(Files.exists(h.resolve(CGROUP_PARENT).resolve(id)), "cgroup left in " + h + "\n" + r);
    }

    private static List<Path> hierarchies() throws IOException {
        if (Files.exists(CGROUPS.resolve("cgroup.controllers"))) return List.of(CGROUPS);
        try (Stream<Path> s = Files.list(CGROUPS)) {
            return s.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> Files.exists(p.resolve("cgroup.procs"))).toList();
        }
    }

    @Test
    void theAppGetsTheContainersArgumentsEnvironmentStdioAndCgroups() throws Exception {
        Run r = run("args", helloRootfs, List.of("/hello.wasm", "x", "y z"), List.of("A=1", "PATH=/bin"));
        assertTrue(r.report().contains("create 0\n") && r.report().contains("start 0\n"), r.toString());
        assertEquals("hello from uniwasm\narg[0]=hello.wasm\narg[1]=x\narg[2]=y z\nenv A=1\nenv PATH=/bin\n", r.out(), r.toString());
        assertEquals("hello on stderr\n", r.err(), r.toString());
        assertTrue(r.report().contains("exit 0\n"), r.toString());
        assertTrue(r.report().contains("delete 0\n"), r.toString());
        for (String line : r.report().lines().filter(l -> l.startsWith("cgroup ")).toList()) {
            // cgroup v1 lines are N:CONTROLLERS:PATH; the hierarchies of the host's own are not the container's
            if (line.matches("cgroup \\d+:[^:]*(memory|pids)[^:]*:.*")) {
                assertTrue(line.endsWith(":/" + CGROUP_PARENT + "/args"), "not in the container's cgroup: " + line + "\n" + r);
            }
        }
        assertTrue(r.report().lines().anyMatch(l -> l.endsWith("/" + CGROUP_PARENT + "/args")), r.toString());
        if (!Files.exists(CGROUPS.resolve("cgroup.controllers"))) {
            // cgroup v1: linux.resources' limits are the cgroups'
            assertTrue(r.report().contains("limit memory.limit_in_bytes 268435456\n"), r.toString());
            assertTrue(r.report().contains("limit pids.max 16\n"), r.toString());
        }
        assertNothingLeft("args", r);
    }

    @Test
    void withoutArgumentsTheBakedOnesAreNotUsedButTheImagesCmdIsContainerdsToPass() throws Exception {
        // containerd gives process.args = Entrypoint + Cmd; the runtime passes exactly what it is given
        Run r = run("noargs", helloRootfs, List.of("/hello.wasm"), List.of());
        assertEquals("hello from uniwasm\narg[0]=hello.wasm\n", r.out(), r.toString());
        assertNothingLeft("noargs", r);
    }

    @Test
    void theExitStatusIsTheAppsAndATrapIsAsInUniwasmRun() throws Exception {
        Run exit = run("exit42", exitRootfs, List.of("/exit42.wasm"), List.of());
        assertTrue(exit.report().contains("exit 42\n"), exit.toString());
        assertNothingLeft("exit42", exit);
        Run trap = run("trap", trapRootfs, List.of("/trap_divide_by_zero.wasm"), List.of());
        assertTrue(trap.report().contains("exit 130\n"), trap.toString());
        assertTrue(trap.err().contains("trap: integer divide by zero"), trap.toString());
        assertNothingLeft("trap", trap);
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
        assertNothingLeft("kill", r);
    }

    /** A cache of the test's own, compiled with the counting CLI: the counter has a line per compile. */
    private record Cache(Path folder, Path counter, Setup setup) {
        static Cache make(String name) throws IOException {
            Path folder = dir.resolve("cache-" + name), counter = dir.resolve("compiles-" + name);
            Path cli = OciImages.countingCli(Files.createDirectories(dir.resolve("cli-" + name)), counter);
            return new Cache(folder, counter, new Setup(Map.of("UNIWASM_CACHE", folder.toString(), "UNIWASM_CLI", cli.toString()),
                    false, false));
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
        assertNothingLeft("first", first);

        // the same rootfs, and a copy of it (another file: the digest finds it), use the cache
        Run again = run("again", rootfs, List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null);
        assertEquals("hello from uniwasm\narg[0]=app.wasm\n", again.out(), again.toString());
        Run copy = run("copy", moduleAlone("copy", hello), List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null);
        assertEquals("hello from uniwasm\narg[0]=app.wasm\n", copy.out(), copy.toString());
        assertEquals(1, cache.compiles(), again + "\n" + copy);
        assertFalse(again.log().contains("compiled"), again.toString());
        assertNothingLeft("again", again);
        assertNothingLeft("copy", copy);
        // no work folder left
        try (Stream<Path> s = Files.list(cache.folder())) {
            assertEquals(List.of("digests", "x86_64-linux"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }

        // the same file rewritten (same inode) is another module: the memoised digest is not reused
        Files.write(rootfs.resolve("app.wasm"), Files.readAllBytes(Examples.wasm("exit42")));
        Run changed = run("changed", rootfs, List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null);
        assertTrue(changed.report().contains("exit 42\n"), changed.toString());
        assertEquals(2, cache.compiles(), changed.toString());
        assertNothingLeft("changed", changed);
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
                Path upper = Files.createDirectories(layers.resolve("upper")), work = Files.createDirectories(layers.resolve("work"));
                Path merged = Files.createDirectories(layers.resolve("merged"));
                OciImages.run(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lower + ",upperdir=" + upper
                        + ",workdir=" + work, merged.toString()));
                mounted.add(merged);
                Run r = run("overlay" + i, merged, List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null);
                assertEquals("hello from uniwasm\narg[0]=app.wasm\n", r.out(), r.toString());
                assertNothingLeft("overlay" + i, r);
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
            }).toList();
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
                runs.add(pool.submit(() -> run(id, rootfs, List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null)));
            }
        }
        for (int i = 0; i < 10; i++) {
            Run r = runs.get(i).get();
            assertEquals("hello from uniwasm\narg[0]=app.wasm\n", r.out(), r.toString());
            assertTrue(r.report().contains("exit 0\n"), r.toString());
            assertNothingLeft("many" + i, r);
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
        assertEquals("uniwasm-runtime: " + lastLogMessage(r) + "\n", r.err(), r.toString());
        assertNothingLeft("refused", r);
        // the refusal is the module's own: the next create reports it without compiling again
        Run again = run("refused2", rootfs, List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null);
        assertLastLogError(again, "malformed module at byte offset 9 (0x9)");
        assertEquals(1, cache.compiles());
        assertNothingLeft("refused2", again);
    }

    @Test
    void aCrashedCompileLeavesNoFileUnderTheCachesNameAndTheNextCreateCompiles() throws Exception {
        Cache cache = Cache.make("crash");
        byte[] hello = Files.readAllBytes(Examples.wasm("hello"));
        Path rootfs = moduleAlone("crash", hello);
        // a compiler that writes half of its output (-o FILE: its 5th argument) and dies
        Path crashing = dir.resolve("crashing-uniwasm");
        Files.writeString(crashing, "#!/bin/sh\nprintf half > \"$5\"\nkill -9 $$\n");
        assertTrue(crashing.toFile().setExecutable(true));
        Setup crashes = new Setup(Map.of("UNIWASM_CACHE", cache.folder().toString(), "UNIWASM_CLI", crashing.toString()), false, false);
        Run r = run("crash", rootfs, List.of("/app.wasm"), List.of(), Map.of(), crashes, null);
        assertLastLogError(r, "cannot compile /app.wasm: " + crashing + " was killed by signal 9");
        assertNothingLeft("crash", r);
        try (Stream<Path> s = Files.list(cache.folder().resolve("x86_64-linux"))) {
            assertEquals(List.of(), s.filter(p -> !p.toString().endsWith(".lock")).toList(), "a failed compile left a file");
        }
        // a runtime killed while compiling leaves its work folder: the next compile of the module removes it
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(hello));
        Path stale = Files.createDirectories(cache.folder().resolve("tmp." + digest + ".crashed"));
        Files.writeString(stale.resolve("app.wasm.x86_64-linux"), "half");
        Run after = run("after-crash", rootfs, List.of("/app.wasm"), List.of(), Map.of(), cache.setup(), null);
        assertEquals("hello from uniwasm\narg[0]=app.wasm\n", after.out(), after.toString());
        assertEquals(1, cache.compiles());
        assertFalse(Files.exists(stale), "a crashed compile's folder is left");
        assertTrue(Files.isExecutable(cache.folder().resolve("x86_64-linux").resolve(digest)));
        assertNothingLeft("after-crash", after);
    }

    @Test
    void aTerminalIsTheAppsStdioAndControllingTerminalItsMasterSentOverTheConsoleSocket() throws Exception {
        Run r = run("tty", helloRootfs, List.of("/hello.wasm", "--read-line"), List.of(), Map.of(),
                new Setup(Map.of(), true, true), null);
        assertTrue(r.report().contains("create 0\nconsole /dev/ptmx\nwinsize 33 101\n"), r.toString());
        assertTrue(r.report().contains("controlling-terminal yes\n"), r.toString());
        assertTrue(r.report().contains("exit 0\n"), r.toString());
        // the terminal's line discipline: \r\n, and what the shim typed is echoed and read by the app
        assertTrue(r.out().startsWith("hello from uniwasm\r\narg[0]=hello.wasm\r\narg[1]=--read-line\r\n"), r.toString());
        assertTrue(r.out().contains("stdin: typed\r\n") && r.out().endsWith("hello on stderr\r\n"), r.toString());
        assertEquals("", r.err(), r.toString());
        assertNothingLeft("tty", r);
    }

    @Test
    void whatIsNotSupportedYetIsOneErrorInTheLogAndNothingIsLeft() throws Exception {
        Run terminal = run("tty-no-socket", helloRootfs, List.of("/hello.wasm"), List.of(), Map.of(), true, null);
        assertTrue(terminal.report().startsWith("create 1\n"), terminal.toString());
        assertLastLogError(terminal, "process.terminal is true but no --console-socket was given");
        assertNothingLeft("tty-no-socket", terminal);

        Run vm = run("vm", helloRootfs, List.of("/hello.wasm"), List.of(), Map.of("dev.uniwasm.isolation", "vm"), false, null);
        assertLastLogError(vm, "dev.uniwasm.isolation=vm: VM containers are not implemented yet");
        assertNothingLeft("vm", vm);

        Run notWasm = run("args0", helloRootfs, List.of("x", "y"), List.of());
        assertLastLogError(notWasm, "process.args[0] 'x' is not a .wasm module");
        assertNothingLeft("args0", notWasm);
    }

    private static String lastLogMessage(Run r) {
        return r.log().lines().toList().getLast().replaceAll("^\\{\"level\":\"error\",\"msg\":\"(.*)\",\"time\":.*$", "$1");
    }

    private static void assertLastLogError(Run r, String expected) {
        List<String> lines = r.log().lines().toList();
        assertFalse(lines.isEmpty(), r.toString());
        String last = lines.getLast();
        assertTrue(last.startsWith("{\"level\":\"error\",\"msg\":\"") && last.contains(expected) && last.endsWith("}"), r.toString());
        assertTrue(r.report().startsWith("create 1\n"), r.toString());
    }

    @Test
    void otherBundlesAndContainersGoToRuncWithTheSameArguments() throws Exception {
        Path fakeRunc = dir.resolve("fake-runc");
        Path calls = dir.resolve("runc-calls");
        Files.writeString(fakeRunc, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> " + calls + "\n");
        fakeRunc.toFile().setExecutable(true);
        Path bundle = Files.createDirectories(dir.resolve("bundles/native"));
        Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.writeString(bundle.resolve("config.json"), "{\"process\":{\"args\":[\"/bin/sh\"]},\"root\":{\"path\":\"rootfs\"}}");
        List<List<String>> commands = List.of(
                List.of("--root", root.toString(), "--log", "L", "--log-format", "json", "create", "--bundle", bundle.toString(),
                        "--pid-file", "P", "native"),
                List.of("--root", root.toString(), "start", "native"),
                List.of("--root", root.toString(), "delete", "--force", "native"),
                List.of("--version"));
        for (List<String> args : commands) {
            List<String> command = new ArrayList<>(List.of(runtime.toString()));
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
}
