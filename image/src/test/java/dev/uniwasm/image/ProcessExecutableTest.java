package dev.uniwasm.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake app (fake_app.c) linked for the Linux-process platform and run as a process, directly:
 * the kernel's side of {@code --isolation process} (run file, console, traps from signals, memory
 * limit, the sandbox) without the CLI. ImageBootTest's scenarios, at process speed.
 */
class ProcessExecutableTest {
    @TempDir
    static Path dir;

    static Path executable;

    @BeforeAll
    static void link() throws Exception {
        executable = dir.resolve("fake");
        ExecutableLinker.link(
                FakeApp.object(),
                FakeApp.module(),
                new BootConfig(List.of("fake", "hello"), List.of("BAKED=1", "SHARED=baked"), false),
                executable,
                64);
    }

    record Result(int status, String stdout, String stderr, List<String> control) {
        @Override
        public String toString() {
            return "status " + status + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr
                    + "--- control ---\n" + control;
        }
    }

    /** Runs the executable as `uniwasm run` does: a run file with these arguments (none: the baked config). */
    static Result run(byte[] stdin, long memoryBytes, boolean forbiddenCall, String... args) throws Exception {
        BootConfig config = null;
        if (args.length > 0) {
            List<String> argv = new ArrayList<>(List.of("fake"));
            argv.addAll(List.of(args));
            config = new BootConfig(argv, List.of("HOME=/", "GREETING=hello world"), false);
        }
        byte[] run = new RunFile(
                        config,
                        memoryBytes,
                        ProcessHandle.current().pid(),
                        forbiddenCall ? RunFile.TEST_FORBIDDEN_CALL : 0)
                .encode();
        Path file = Files.createTempFile(dir, "run", ".bin");
        Files.write(file, run);
        try (FileChannel control = FileChannel.open(file, StandardOpenOption.READ)) {
            ProcessBuilder pb = new ProcessBuilder(executable.toString());
            pb.environment().clear();
            pb.environment().put(RunFile.VARIABLE, file.toString());
            Result r = start(pb, stdin, control, run.length);
            assertTrue(!Files.exists(file), "the process removes its run file");
            return r;
        }
    }

    /** Runs it by itself, as a user would: its own argv and environment. */
    static Result runAlone(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(executable.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(env);
        return start(pb, null, null, 0);
    }

    private static Result start(ProcessBuilder pb, byte[] stdin, FileChannel control, long controlFrom)
            throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null)
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // the app stopped reading
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process did not end within 60 s");
        List<String> lines = List.of();
        if (control != null) {
            ByteBuffer tail = ByteBuffer.allocate((int) Math.max(0, control.size() - controlFrom));
            control.read(tail, controlFrom);
            lines = new String(tail.array(), StandardCharsets.UTF_8).lines().toList();
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err), lines);
    }

    static Result run(String... args) throws Exception {
        return run(null, 0, false, args);
    }

    @Test
    void bakedConfigSaysHelloAndReportsItsExit() throws Exception {
        Result r = run();
        assertEquals("hello from uniwasm\n", r.stdout(), r.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.control().get(0).matches("start ns=\\d+"), r.toString());
        assertEquals("exit 0", r.control().get(r.control().size() - 1), r.toString());
    }

    @Test
    void runTimeArgsAndEnvironmentRoundTrip() throws Exception {
        Result r = run("args", "two words", "ünïcode");
        assertEquals(
                "arg0=fake\narg1=args\narg2=two words\narg3=ünïcode\nenv0=HOME=/\nenv1=GREETING=hello world\n",
                r.stdout(),
                r.toString());
        assertEquals(0, r.status());
    }

    @Test
    void aStandaloneRunTakesItsArgumentsAndAddsItsEnvironmentToTheBakedOne() throws Exception {
        Result r = runAlone(Map.of("SHARED", "host", "HOST_ONLY", "1"), "args", "x");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stdout().startsWith("arg0=fake\narg1=args\narg2=x\nenv0=BAKED=1\n"), r.toString());
        assertTrue(r.stdout().contains("=SHARED=host\n") && r.stdout().contains("=HOST_ONLY=1\n"), r.toString());
        assertTrue(!r.stdout().contains("SHARED=baked"), r.toString());
        Result baked = runAlone(Map.of());
        assertEquals("hello from uniwasm\n", baked.stdout(), baked.toString());
    }

    @Test
    void procExitStatusIsTruncatedToEightBits() throws Exception {
        Result seven = run("exit", "7");
        assertEquals("exiting\n", seven.stdout());
        assertEquals(7, seven.status());
        assertEquals(44, run("exit", "300").status());
    }

    @Test
    void aTrapEndsTheAppWithItsMessageAndStatus() throws Exception {
        Result r = run("trap", "1");
        assertEquals("trap: unreachable\n", r.stderr());
        assertEquals(129, r.status());
        assertEquals("exit 129", r.control().get(r.control().size() - 1), r.toString());
    }

    @Test
    void anOutOfBoundsAccessTraps() throws Exception {
        for (String offset : List.of("0", "4000000000")) {
            Result r = run("oob", offset);
            assertEquals("trap: out of bounds memory access\n", r.stderr(), "offset " + offset + ": " + r);
            assertEquals(133, r.status());
        }
    }

    @Test
    void runawayRecursionExhaustsTheStack() throws Exception {
        Result r = run("stack");
        assertEquals("trap: call stack exhausted\n", r.stderr(), r.toString());
        assertEquals(138, r.status());
    }

    @Test
    void aFaultOutsideTheSandboxIsAKernelPanic() throws Exception {
        Result r = run("null", "8");
        assertEquals(250, r.status(), r.toString());
        assertTrue(r.stderr().startsWith("kernel panic: SIGSEGV (invalid memory access)"), r.stderr());
        assertTrue(r.stderr().contains("ADDR=0000000000000008") && r.stderr().contains("in app code"), r.stderr());
    }

    @Test
    void memoryGrowthCommitsZeroedPagesWithinTheLimit() throws Exception {
        assertEquals("old_pages=2 value=42\n", run("grow").stdout());
    }

    @Test
    void badGuestPointersGiveEfaultAndUnimplementedFunctionsEnosys() throws Exception {
        Result r = run("errors");
        assertEquals("efault_list=21\nefault_buf=21\nefault_result=21\nebadf=8\nenosys=52\n", r.stdout(), r.toString());
    }

    @Test
    void stdinIsEchoedUntilItEnds() throws Exception {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 2000; i++) input.append("line ").append(i).append('\n');
        Result r = run(input.toString().getBytes(StandardCharsets.UTF_8), 0, false, "echo");
        assertEquals(input + "<eof>\n", r.stdout());
        assertEquals("<eof>\n", run(new byte[0], 0, false, "echo").stdout());
    }

    @Test
    void clocksTickAndRandomBytesDiffer() throws Exception {
        Result r = run("clock");
        assertTrue(r.stdout().matches("monotonic_delta_ns=\\d+\nrealtime_s=\\d+\nbad_clock_errno=28\n"), r.toString());
        String a = run("random").stdout(), b = run("random").stdout();
        assertTrue(a.matches("[0-9a-f]{32}\n"), a);
        assertNotEquals(a, b);
    }

    @Test
    void stderrIsFdTwo() throws Exception {
        Result r = run("stderr");
        assertEquals("to stderr\n", r.stderr());
        assertEquals("", r.stdout());
    }

    /** The test hook of the run file: a system call outside the allowlist right after the filter is
     * installed must kill the process with SIGSYS before it reports anything. */
    @Test
    void aForbiddenSystemCallKillsTheProcess() throws Exception {
        Result r = run(null, 0, true, "hello");
        assertEquals(128 + 31, r.status(), r.toString());
        assertEquals("", r.stdout(), r.toString());
        assertEquals(List.of(), r.control(), r.toString());
    }

    @Test
    void theMemoryLimitIsEnforcedByThePlatformsOwnAccounting() throws Exception {
        Result r = run(null, 1L << 16, false, "hello");
        assertEquals(250, r.status(), r.toString());
        assertTrue(r.stderr().startsWith("error: cannot instantiate the module: cannot allocate memory"), r.toString());
    }
}
