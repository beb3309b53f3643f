package dev.uniwasm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Cli;
import org.junit.jupiter.api.Test;

/**
 * {@code uniwasm bench} reaches the harness (bench/), built by the same Maven run, in a JVM of its own;
 * the CLI itself does not carry it.
 */
class BenchCommandTest {
    @Test
    void theProductDoesNotCarryTheHarnessOrItsCharts() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.uniwasm.bench.Bench"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.knowm.xchart.BitmapEncoder"));
    }

    @Test
    void topLevelHelpListsBench() {
        Cli.Result top = Cli.run("--help");
        assertEquals(0, top.status(), top.toString());
        assertTrue(top.out().lines().anyMatch(l -> l.strip().startsWith("bench ")), top.out());
    }

    @Test
    void helpIsTheHarnesss() {
        Cli.Result h = Cli.run("bench", "--help");
        assertEquals(0, h.status(), h.toString());
        // the harness's own usage (picocli's, from bench's Main), not one the CLI writes
        assertTrue(h.out().startsWith("Usage: uniwasm bench [-hV] [--quick] [--out=DIR] [--rows="), h.out());
        assertTrue(h.out().contains("startup, compute, compile, http, density, containers"), h.out());
        assertEquals("", h.err(), h.toString());
    }

    @Test
    void unknownSuiteIsOneLineAndStatusTwo() {
        Cli.Result r = Cli.run("bench", "nosuch");
        assertEquals(Main.USAGE, r.status(), r.toString());
        assertEquals(
                "uniwasm: bench: unknown suite 'nosuch' (suites: startup, compute, compile, http, density, containers)",
                r.err().strip(),
                r.toString());
        assertEquals("", r.out(), r.toString());
    }

    @Test
    void argumentsReachTheHarnessAsTyped() {
        // after "--" an option's name is a suite name: the "--" must reach the harness too
        Cli.Result r = Cli.run("bench", "--", "--quick");
        assertEquals(Main.USAGE, r.status(), r.toString());
        assertTrue(r.err().startsWith("uniwasm: bench: unknown suite '--quick'"), r.toString());
        Cli.Result bad = Cli.run("bench", "--frobnicate");
        assertEquals(Main.USAGE, bad.status(), bad.toString());
        assertEquals(
                "uniwasm: Unknown option: '--frobnicate' (see 'uniwasm bench --help')",
                bad.err().strip(),
                bad.toString());
    }
}
