package dev.uniwasm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's command line: what is refused before any suite runs, as one line and exit status 2. */
class MainTest {
    @TempDir
    Path tmp;

    private record Result(int status, String out, String err) {}

    private static Result run(String home, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(
                args,
                home,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String home() {
        return System.getProperty("uniwasm.home");
    }

    private static void assertUsageError(Result r, String message) {
        assertEquals(Main.USAGE, r.status(), r.toString());
        assertEquals(message, r.err().strip(), r.toString());
        assertEquals("", r.out(), r.toString());
    }

    @Test
    void unknownSuite() {
        assertUsageError(
                run(home(), "startup", "nosuch"),
                "uniwasm: bench: unknown suite 'nosuch' (suites: startup, compute, compile, http, density, containers)");
    }

    @Test
    void unknownOption() {
        assertUsageError(
                run(home(), "--frobnicate"), "uniwasm: Unknown option: '--frobnicate' (see 'uniwasm bench --help')");
    }

    @Test
    void needsTheRepository() {
        assertUsageError(
                run(null, "startup"),
                "uniwasm: bench needs the repository (run it as ./uniwasm bench, which sets uniwasm.home)");
        assertUsageError(
                run(tmp.toString(), "startup"),
                "uniwasm: bench: " + tmp + " is not a uniwasm repository (no bench/pom.xml)");
    }

    /** The containers suite's --rows and --scales: a bad value is one line naming the flag and the valid values. */
    @Test
    void rowsAndScalesOfTheContainersSuite() {
        assertUsageError(
                run(home(), "containers", "--rows", "idle/foo"),
                "uniwasm: bench: --rows: unknown runtime 'foo' in 'idle/foo' (runtimes: uniwasm-process, uniwasm-vm, "
                        + "qemu-runc, crun, runc, *)");
        assertUsageError(
                run(home(), "containers", "--scales", "10,x"),
                "uniwasm: bench: --scales: 'x' is not a number of containers from 1 to 1000 (e.g. --scales 10,100,400)");
        assertUsageError(
                run(home(), "startup", "--rows", "idle/*"),
                "uniwasm: bench: --rows applies to the containers suite only: name it (uniwasm bench containers --rows ...)");
        assertUsageError(
                run(home(), "--scales", "10"),
                "uniwasm: bench: --scales applies to the containers suite only: name it (uniwasm bench containers --scales ...)");
    }

    @Test
    void help() {
        Result r = run(null, "--help");
        assertEquals(0, r.status(), r.toString());
        assertTrue(
                r.out().startsWith("Usage: uniwasm bench [-hV] [--quick] [--out=DIR] [--rows=APP/RUNTIME,...]"),
                r.out());
    }
}
