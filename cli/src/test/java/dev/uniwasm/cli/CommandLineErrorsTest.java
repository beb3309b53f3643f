package dev.uniwasm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What users get for wrong command lines and wrong files: one clear line, exit status 2. */
class CommandLineErrorsTest {
    @TempDir
    Path tmp;

    private static void assertUsageError(Cli.Result r, String mustMention) {
        assertEquals(Main.USAGE, r.status(), r.toString());
        assertTrue(r.err().startsWith("uniwasm: "), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
        assertTrue(r.err().contains(mustMention), "should mention " + mustMention + ": " + r);
        assertEquals("", r.out(), r.toString());
    }

    @Test
    void versionAndHelp() {
        Cli.Result v = Cli.run("--version");
        assertEquals(0, v.status());
        assertTrue(v.out().startsWith("uniwasm 0."), v.out());
        for (String cmd : new String[] {"build", "run", "inspect", "wast"}) {
            Cli.Result h = Cli.run(cmd, "--help");
            assertEquals(0, h.status(), h.toString());
            assertTrue(h.out().contains("Usage: uniwasm " + cmd), h.out());
        }
        Cli.Result top = Cli.run("--help");
        assertTrue(
                top.out().contains("build")
                        && top.out().contains("inspect")
                        && top.out().contains("wast"),
                top.out());
    }

    @Test
    void missingCommand() {
        assertUsageError(Cli.run(), "missing command");
    }

    @Test
    void unknownCommand() {
        assertUsageError(Cli.run("frobnicate"), "frobnicate");
    }

    @Test
    void unknownFlagIsNamed() {
        assertUsageError(Cli.run("run", "--frobnicate", "x.wasm"), "--frobnicate");
    }

    @Test
    void missingFileIsNamed() {
        assertUsageError(Cli.run("run", tmp.resolve("nope.wasm").toString()), "nope.wasm: no such file");
        assertUsageError(Cli.run("inspect", tmp.resolve("nope.wasm").toString()), "nope.wasm: no such file");
        assertUsageError(
                Cli.run(
                        "build",
                        tmp.resolve("nope.wasm").toString(),
                        "-o",
                        tmp.resolve("x.img").toString()),
                "nope.wasm");
        assertUsageError(Cli.run("wast", tmp.resolve("nope.wast").toString()), "nope.wast: no such file");
    }

    @Test
    void buildNeedsAnOutput() {
        assertUsageError(Cli.run("build", "app.wasm"), "--output");
    }

    @Test
    void badValuesAreNamed() throws IOException {
        Path wasm = Files.write(tmp.resolve("a.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        assertUsageError(Cli.run("run", "--memory", "lots", wasm.toString()), "--memory");
        assertUsageError(Cli.run("run", "--memory", "1K", wasm.toString()), "--memory");
        assertUsageError(Cli.run("run", "--machine", "pc", wasm.toString()), "--machine");
        assertUsageError(Cli.run("run", "--accel", "hvf", wasm.toString()), "--accel");
        assertUsageError(Cli.run("run", "--env", "=x", wasm.toString()), "--env");
        assertUsageError(
                Cli.run(
                        "build",
                        "-O5",
                        wasm.toString(),
                        "-o",
                        tmp.resolve("a.img").toString()),
                "-O");
        assertUsageError(
                Cli.run("run", "--env", "UNIWASM_SURELY_UNSET_VARIABLE", wasm.toString()),
                "UNIWASM_SURELY_UNSET_VARIABLE");
    }

    @Test
    void notAModuleNorAnImage() throws IOException {
        Path junk = Files.writeString(tmp.resolve("notes.txt"), "hello");
        assertUsageError(Cli.run("run", junk.toString()), "notes.txt: neither a Wasm module");
    }

    @Test
    void malformedModuleGivesOffsetAndReason() throws IOException {
        // a type section that claims 5 bytes but the file ends after 2 of them
        Path bad = Files.write(tmp.resolve("bad.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5, 1, 0x60});
        Cli.Result r = Cli.run("inspect", bad.toString());
        assertUsageError(r, "bad.wasm: malformed module at byte offset ");
        Cli.Result run = Cli.run("run", bad.toString());
        assertUsageError(run, "bad.wasm: malformed module at byte offset ");
        assertFalse(Files.exists(tmp.resolve("bad.img")));
    }

    @Test
    void badVersionIsMalformed() throws IOException {
        Path bad = Files.write(tmp.resolve("v2.wasm"), new byte[] {0, 'a', 's', 'm', 2, 0, 0, 0});
        assertUsageError(
                Cli.run("build", bad.toString(), "-o", tmp.resolve("v2.img").toString()),
                "v2.wasm: malformed module at byte offset 4");
        assertFalse(Files.exists(tmp.resolve("v2.img")), "no image is left behind");
    }

    @Test
    void aDeviceIsRefusedBeforeItIsRead() {
        // /dev/zero never ends: reading it whole grew the JVM to 5.5 GB before OutOfMemoryError
        assertUsageError(Cli.run("inspect", "/dev/zero"), "/dev/zero: not a regular file");
        assertUsageError(Cli.run("run", "/dev/zero"), "/dev/zero: not a regular file");
        assertUsageError(
                Cli.run("build", "/dev/zero", "-o", tmp.resolve("z.img").toString()), "/dev/zero: not a regular file");
    }

    @Test
    void aModuleOverTheLimitIsRefusedBeforeItIsRead() throws IOException {
        Path big = tmp.resolve("big.wasm");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.write(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
            f.setLength(5L << 29); // 2.5 GiB, sparse: Files.readAllBytes failed with OutOfMemoryError
        }
        long started = System.nanoTime();
        for (String cmd : new String[] {"inspect", "run", "build"}) {
            Cli.Result r = cmd.equals("build")
                    ? Cli.run(cmd, big.toString(), "-o", tmp.resolve("b.img").toString())
                    : Cli.run(cmd, big.toString());
            assertUsageError(r, "big.wasm: 2684354560 bytes, more than the 1024 MiB uniwasm compiles");
        }
        assertTrue(System.nanoTime() - started < 10_000_000_000L, "refused without reading the file");
    }
}
