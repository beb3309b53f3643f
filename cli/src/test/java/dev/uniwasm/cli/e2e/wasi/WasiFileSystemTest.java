package dev.uniwasm.cli.e2e.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.Examples;
import dev.uniwasm.cli.e2e.support.Way;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The WASI file-system and polling test programs (examples/wasi/*.c) run both ways ({@link Way}:
 * as unikernels and as sandboxed processes) through the real command line, with --dir and --tmpfs mounts at run time and baked in at build time.
 * Each program prints "ok ..." or "FAIL ..." per check and "PASSED" at the end; the test asserts
 * the exit status and that no check failed. KVM when usable, TCG otherwise.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WasiFileSystemTest {
    @TempDir
    Path tmp;

    private static Path program(String name) throws IOException, InterruptedException {
        Examples.wasm("hello"); // runs examples/build once
        Path wasm = Examples.home().resolve("build/examples/wasi/" + name + ".wasm");
        assertTrue(Files.isRegularFile(wasm), "examples/build made no " + wasm);
        return wasm;
    }

    private static Cli.Result run(Way way, String program, String... flagsThenArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        List<String> args = new ArrayList<>();
        boolean afterDashes = false;
        for (String s : flagsThenArgs) {
            if (s.equals("--")) afterDashes = true;
            else if (afterDashes) args.add(s);
            else cmd.add(s);
        }
        cmd.add(program(program).toString());
        if (!args.isEmpty()) {
            cmd.add("--");
            cmd.addAll(args);
        }
        return way.run(cmd.toArray(String[]::new));
    }

    private static void assertPassed(Cli.Result r) {
        assertFalse(r.out().contains("FAIL"), r.toString());
        assertTrue(r.out().endsWith("PASSED\n"), r.toString());
        assertEquals(0, r.status(), r.toString());
    }

    /** hello.txt, sub/nested.txt and a symlink to hello.txt, as fs_readonly.c expects. */
    private Path hostTree() throws IOException {
        Path root = tmp.resolve("tree");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("hello.txt"), "hello from the host\n");
        Files.writeString(root.resolve("sub/nested.txt"), "nested\n");
        Files.createSymbolicLink(root.resolve("link"), Path.of("hello.txt"));
        return root;
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void fileDescriptorOperations(Way way) throws Exception {
        assertPassed(run(way, "fs_files", "--tmpfs", "/work"));
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void directoryOperationsAndReaddirOverThousandsOfEntries(Way way) throws Exception {
        assertPassed(run(way, "fs_dirs", "--tmpfs", "/work"));
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void pathsCannotEscapeAPreopenAndRightsAreEnforced(Way way) throws Exception {
        assertPassed(run(way, "fs_sandbox", "--tmpfs", "/work"));
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void readOnlyDirServesTheHostTreeAndRefusesChanges(Way way) throws Exception {
        assertPassed(run(way, "fs_readonly", "--dir", hostTree() + "::/data"));
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void writableDirIsAnInMemoryCopyAndTheHostTreeStaysUntouched(Way way) throws Exception {
        Path tree = hostTree();
        assertPassed(run(way, "fs_readonly", "--dir", tree + "::/data:rw", "--", "rw"));
        assertEquals("hello from the host\n", Files.readString(tree.resolve("hello.txt")));
        assertTrue(Files.exists(tree.resolve("sub/nested.txt")));
        assertFalse(Files.exists(tree.resolve("newdir")));
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void aFullTmpfsGivesEnospcWithoutCorruption(Way way) throws Exception {
        Cli.Result r = run(way, "fs_enospc", "--tmpfs", "/work:64K");
        assertPassed(r);
        assertTrue(r.out().contains("stored 65536 bytes\n"), r.toString());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void pollSleepsOnClocksAndReportsReadyDescriptors(Way way) throws Exception {
        assertPassed(run(way, "poll", "--tmpfs", "/work"));
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void pollOnStdinSeesDataAndEndOfInput(Way way) throws Exception {
        Cli.Result data =
                way.runWithStdin("a line from the host\n", program("poll_stdin").toString());
        assertPassed(data);
        assertTrue(data.out().contains("stdin has data\nread: a line from the host\n"), data.toString());
        Cli.Result eof = way.runWithStdin("", program("poll_stdin").toString());
        assertPassed(eof);
        assertTrue(eof.out().contains("stdin ended\n"), eof.toString());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void multiMegabyteFileRoundTripThroughLibcStdio(Way way) throws Exception {
        Cli.Result r = run(way, "fs_bigfile", "--tmpfs", "/tmp", "--", "16");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("size 16777216\n"), r.toString());
        assertTrue(r.out().contains("mismatches 0\n"), r.toString());
        assertTrue(r.out().contains("entry big.bin\n"), r.toString());
        assertTrue(r.out().contains("exists after unlink: no\n"), r.toString());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void aFileOfHundredsOfMegabytesNeedsNoContiguousMemory(Way way) throws Exception {
        Cli.Result r = run(way, "fs_bigfile", "-m", "1G", "--tmpfs", "/tmp", "--", "300");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("size 314572800\n"), r.toString());
        assertTrue(r.out().contains("mismatches 0\n"), r.toString());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void mountsBakedAtBuildTimeAndAddedAtRunTime(Way way) throws Exception {
        Path image = tmp.resolve("ro.img");
        Cli.Result built = way.build(
                "-o",
                image.toString(),
                "--dir",
                hostTree() + "::/data",
                program("fs_readonly").toString());
        assertEquals(0, built.status(), built.toString());
        assertPassed(way.run(image.toString()));
        // a run-time tmpfs comes after the baked /data (fd 4); the baked mount stays fd 3
        assertPassed(way.run("--tmpfs", "/scratch", image.toString()));
    }

    @Test
    void badMountFlagsAreUsageErrors() throws Exception {
        String wasm = program("fs_files").toString();
        Cli.Result missing = Cli.run("run", "--dir", tmp.resolve("nope") + "::/x", wasm);
        assertEquals(2, missing.status(), missing.toString());
        assertTrue(missing.err().contains("does not exist"), missing.toString());
        Cli.Result file = Cli.run("run", "--dir", Files.writeString(tmp.resolve("f"), "x") + "::/x", wasm);
        assertEquals(2, file.status(), file.toString());
        assertTrue(file.err().contains("is not a directory"), file.toString());
        Cli.Result size = Cli.run("run", "--tmpfs", "/t:lots", wasm);
        assertEquals(2, size.status(), size.toString());
        assertTrue(size.err().contains("is not a size"), size.toString());
        Cli.Result noGuest = Cli.run("build", "-o", tmp.resolve("x.img").toString(), "--dir", tmp + "::", wasm);
        assertEquals(2, noGuest.status(), noGuest.toString());
        assertTrue(noGuest.err().contains("names no guest directory"), noGuest.toString());
    }

    @Test
    void helpSaysWritableCopiesAreLostAtExit() throws Exception {
        Cli.Result r = Cli.run("run", "--help");
        assertTrue(r.out().replaceAll("\\s+", " ").contains("changes are lost when the VM exits"), r.toString());
        assertTrue(r.out().contains("--tmpfs"), r.toString());
    }
}
