package dev.uniwasm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.TestSockets;
import dev.uniwasm.cli.e2e.support.Way;
import dev.uniwasm.image.BootConfig;
import dev.uniwasm.image.NetworkConfig;
import dev.uniwasm.image.RunFile;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only {@code --isolation process} has: the standalone executable of {@code uniwasm build
 * --isolation process}, the sandbox killing a forbidden system call, and the flags that apply to VMs
 * only. Everything both ways share is in the tests parametrised over {@link Way}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ProcessIsolationTest {
    @TempDir
    Path tmp;

    @Test
    void aBuiltExecutableRunsByItselfWithItsOwnArgumentsAndEnvironment() throws Exception {
        Path app = tmp.resolve("app");
        Cli.Result build = Way.PROCESS.build(
                Examples.wasm("hello").toString(),
                "-o",
                app.toString(),
                "--env",
                "BAKED=1",
                "--env",
                "BOTH=baked",
                "--",
                "baked-arg");
        assertEquals(0, build.status(), build.toString());
        assertTrue(Files.isExecutable(app), "the output is executable");

        ProcessBuilder pb = new ProcessBuilder(app.toString(), "a", "b c").redirectErrorStream(false);
        pb.environment().clear();
        pb.environment().put("BOTH", "host");
        pb.environment().put("HOST_ONLY", "1");
        Process p = pb.redirectInput(
                        ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out + err);
        assertTrue(out.contains("arg[0]=app\narg[1]=a\narg[2]=b c\n"), out);
        assertTrue(
                out.contains("env BAKED=1\n") && out.contains("env BOTH=host\n") && out.contains("env HOST_ONLY=1\n"),
                out);
        assertFalse(out.contains("BOTH=baked"), out);
        assertEquals("hello on stderr\n", err);

        Process alone = new ProcessBuilder(app.toString()).start();
        String bakedOut = new String(alone.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(alone.waitFor(60, TimeUnit.SECONDS));
        assertTrue(bakedOut.contains("arg[0]=hello.wasm\narg[1]=baked-arg\n"), bakedOut);
    }

    @Test
    void aTrapInAStandaloneExecutableHasTheVmsStatus() throws Exception {
        Path app = tmp.resolve("oob");
        assertEquals(
                0,
                Way.PROCESS
                        .build(Examples.wasm("trap_out_of_bounds").toString(), "-o", app.toString())
                        .status());
        Process p = new ProcessBuilder(app.toString()).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(133, p.exitValue(), err);
        assertTrue(err.startsWith("trap: out of bounds memory access"), err);
    }

    /** The run file's test hook (which no Wasm program can reach) makes the process call openat right
     * after its seccomp filter is installed: the kernel must kill it, and the CLI must say so. */
    @Test
    void aForbiddenSystemCallKillsTheInstance() throws Exception {
        Path app = tmp.resolve("hello");
        assertEquals(
                0,
                Way.PROCESS
                        .build(Examples.wasm("hello").toString(), "-o", app.toString())
                        .status());
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Session session = new Session(
                new ByteArrayInputStream(new byte[0]),
                out,
                new PrintStream(out, true),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                -1);
        int status = ProcessRun.execute(app, null, 64, false, session, RunFile.TEST_FORBIDDEN_CALL);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(70, status, stderr);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "the app never ran");
        assertEquals(
                List.of("uniwasm: the process was killed by its sandbox (SIGSYS): it made a system call outside the "
                        + "seccomp allowlist"),
                stderr.lines().toList());

        // the same executable without the hook runs
        assertEquals(0, ProcessRun.execute(app, null, 64, false, session, 0));
    }

    /**
     * The filter is built from the outbound rules: with only a listener a socket of the app's own
     * (the test hook's socket(2) right after the filter is installed) kills the process; once a rule
     * allows something out the same call goes through. The kernel refuses such sockets first
     * (EACCES, OutboundPolicyTest); this is the wall behind it.
     */
    @Test
    void withoutOutboundPermissionTheFilterHasNoSocketCall() throws Exception {
        Path app = tmp.resolve("hello");
        assertEquals(
                0,
                Way.PROCESS
                        .build(Examples.wasm("hello").toString(), "-o", app.toString())
                        .status());
        Inet4Address none = NetworkConfig.ipv4("0.0.0.0", "test");
        NetworkConfig listenerOnly = new NetworkConfig(
                none,
                none,
                none,
                none,
                List.of(new NetworkConfig.Listener(
                        NetworkConfig.ipv4("127.0.0.1", "test"), TestSockets.freeLoopbackPort())));
        BootConfig config = new BootConfig(List.of("hello"), List.of(), false, List.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Session session = new Session(
                new ByteArrayInputStream(new byte[0]),
                out,
                new PrintStream(out, true),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                -1);

        int status =
                ProcessRun.execute(app, config.withNetwork(listenerOnly), 64, false, session, RunFile.TEST_SOCKET_CALL);
        assertEquals(70, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("killed by its sandbox (SIGSYS)"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8), "the app never ran");

        NetworkConfig outbound = listenerOnly.withOutbound(
                new NetworkConfig.Outbound(List.of(NetworkConfig.Rule.parse("127.0.0.1:9", null)), false));
        status = ProcessRun.execute(app, config.withNetwork(outbound), 64, false, session, RunFile.TEST_SOCKET_CALL);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(
                out.toString(StandardCharsets.UTF_8).contains("hello from uniwasm"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void flagsForVmsAreOneLineErrors() throws Exception {
        String hello = Examples.wasm("hello").toString();
        for (List<String> flags : List.of(
                List.of("-p", "8080:80"),
                List.of("--net", "user"),
                List.of("--machine", "q35"),
                List.of("--accel", "tcg"),
                List.of("--control-socket", tmp.resolve("s").toString()))) {
            String[] args = java.util.stream.Stream.concat(flags.stream(), java.util.stream.Stream.of(hello))
                    .toArray(String[]::new);
            Cli.Result r = Way.PROCESS.run(args);
            assertEquals(2, r.status(), flags + ": " + r);
            assertEquals(1, r.err().lines().count(), r.toString());
            assertTrue(r.err().startsWith("uniwasm: " + flags.get(0)), r.toString());
        }
        Cli.Result memory = Cli.run(
                "build", "--memory", "64M", hello, "-o", tmp.resolve("x.img").toString());
        assertEquals(2, memory.status(), memory.toString());
        assertTrue(memory.err().startsWith("uniwasm: --memory applies to --isolation process only"), memory.toString());
    }

    @Test
    void aVmImageIsNotAProcessExecutable() throws Exception {
        Path image = tmp.resolve("hello.img");
        assertEquals(
                0,
                Way.VM
                        .build(Examples.wasm("hello").toString(), "-o", image.toString())
                        .status());
        Cli.Result r = Way.PROCESS.run(image.toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().startsWith("uniwasm: " + image + ": a VM image, not a process executable"), r.toString());
    }

    @Test
    void aProcessExecutableIsNotAVmImage() throws Exception {
        Path app = tmp.resolve("hello");
        assertEquals(
                0,
                Way.PROCESS
                        .build(Examples.wasm("hello").toString(), "-o", app.toString())
                        .status());
        Cli.Result r = Way.VM.run(app.toString());
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(
                r.err()
                        .startsWith(
                                "uniwasm: " + app + ": a process executable from 'uniwasm build --isolation process', "
                                        + "not a VM image"),
                r.toString());
    }

    /**
     * A large data segment's pages are mapped from the executable's file, not copied: in the
     * process's memory map they are the file's pages at linear-memory addresses, the process's own
     * anonymous memory stays below the segment's size, the app reads the right bytes and writes
     * to its own copies (kernel/README.md, "Data segments"). Reading another process's map takes
     * root (the sandbox makes the process not dumpable).
     */
    @Test
    void largeDataSegmentsAreMappedFromTheExecutableCopyOnWrite() throws Exception {
        Path app = executableToWatch("data_pages");
        Process p = new ProcessBuilder(app.toString(), "hold").start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            for (String line; (line = out.readLine()) != null && !line.equals("holding"); ) lines.add(line);
            String pattern = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/";
            byte[] constant = pattern.repeat(65536).getBytes(StandardCharsets.US_ASCII);
            byte[] writable = pattern.repeat(64).getBytes(StandardCharsets.US_ASCII);
            String before = fnv1a(writable);
            writable[0] = '<';
            writable[writable.length - 1] = '>';
            assertEquals(
                    List.of(
                            "constant 4194304 " + fnv1a(constant),
                            "writable 4096 " + before,
                            "written " + fnv1a(writable),
                            "constant again " + fnv1a(constant)),
                    lines);

            // the ELF's own segments lie at 4 MiB and up; linear memory is a reservation far above
            long fromFileInMemory = 0, anonymous = 0;
            String mapping = "";
            for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/smaps"))) {
                if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                    mapping = line;
                    String[] range = line.substring(0, line.indexOf(' ')).split("-");
                    long start = Long.parseUnsignedLong(range[0], 16), end = Long.parseUnsignedLong(range[1], 16);
                    if (line.endsWith(" " + app) && start >= 1L << 32) fromFileInMemory += end - start;
                } else if (line.startsWith("Anonymous:")) {
                    anonymous += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            assertTrue(fromFileInMemory >= 4L << 20, "linear memory mapped from " + app + ": " + fromFileInMemory);
            assertTrue(anonymous < 3L << 20, "anonymous memory " + anonymous + " bytes, last mapping " + mapping);
            p.getOutputStream().close();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Pages of zeros the app wrote (wasi-libc's calloc clears what it hands out) are given back when
     * it first waits, and read as zero afterwards; a cleared data segment mapped from the executable
     * is not given back, which would make it read as the file again (kernel/README.md, "Idle
     * reclaim").
     */
    @Test
    void pagesOfZerosTheAppWroteAreGivenBackWhenItWaitsAndStillReadAsZero() throws Exception {
        Process p = new ProcessBuilder(executableToWatch("zeroed_tables").toString()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("data run 98304 bytes, 98304 nonzero", out.readLine());
            assertEquals("holding", out.readLine());
            // calloc wrote all 4 MiB of the table; only its 64 marker pages (256 KiB) hold anything
            // but zeros. The reclaim runs as the app starts waiting for stdin: a moment after "holding".
            long anonymous = Long.MAX_VALUE;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    anonymous >= 1L << 20 && System.nanoTime() < deadline; ) {
                Thread.sleep(100);
                anonymous = 0;
                for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/smaps_rollup"))) {
                    if (line.startsWith("Anonymous:")) anonymous = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            assertTrue(anonymous < 1L << 20, "anonymous memory while waiting: " + anonymous + " bytes");
            p.getOutputStream().close();
            // the data run was cleared by the app over pages mapped from the executable: given back, they
            // would read as the file's pattern again
            assertEquals(
                    List.of(
                            "table after the wait: 0 bytes differ",
                            "data run after the wait: 0 bytes differ",
                            "rewritten: 0 bytes differ"),
                    List.of(out.readLine(), out.readLine(), out.readLine()));
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /** The example built as a process executable, for a test that reads its /proc/PID/smaps (which takes root). */
    private Path executableToWatch(String example) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "reading /proc/PID/smaps takes root");
        Path app = tmp.resolve(example);
        Cli.Result build = Way.PROCESS.build(Examples.wasm(example).toString(), "-o", app.toString());
        assertEquals(0, build.status(), build.toString());
        return app;
    }

    private static String fnv1a(byte[] bytes) {
        int h = 0x811c9dc5;
        for (byte b : bytes) h = (h ^ (b & 0xff)) * 16777619;
        return String.format("%08x", h);
    }

    @Test
    void theMemoryLimitIsThePlatformsOwnPageCount() throws Exception {
        // 300 MB of file contents in a tmpfs whose only limit is memory: 64M runs out, as the VM does
        Cli.Result r = Way.PROCESS.run(
                "--memory",
                "64M",
                "--tmpfs",
                "/tmp",
                Examples.wasm("wasi/fs_bigfile").toString(),
                "--",
                "300");
        assertTrue(r.status() != 0 && (r.out() + r.err()).contains("No space left on device"), r.toString());
    }
}
