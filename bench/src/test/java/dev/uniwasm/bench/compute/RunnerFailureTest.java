package dev.uniwasm.bench.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.CommandRunner;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunnerFailureTest {
    private static CommandRunner.Outcome outcome(int status, String out, String err) {
        return new CommandRunner.Outcome(List.of("node", "app.wasm"), status, out, err, 1_000_000_000L, false);
    }

    @Test
    void aCrashNamesTheSignalAndShowsWhatTheProgramPrinted() {
        BenchException e = assertThrows(
                BenchException.class, () -> Runner.fromPeerTimingLine("node", outcome(139, "2fff70a3\n", "")));
        assertTrue(e.getMessage().contains("exited with status 139"), e.getMessage());
        assertTrue(e.getMessage().contains("killed by SIGSEGV"), e.getMessage());
        assertTrue(e.getMessage().contains("stdout ends with:\n2fff70a3"), e.getMessage());
    }

    @Test
    void anOrdinaryFailingStatusIsNotCalledASignal() {
        assertEquals("", Runner.signalNote(outcome(1, "", "usage")));
        BenchException e = assertThrows(
                BenchException.class, () -> Runner.fromPeerTimingLine("node", outcome(2, "", "usage: sha256")));
        assertTrue(
                e.getMessage().contains("usage: sha256") && e.getMessage().contains("(nothing on stdout)"),
                e.getMessage());
    }

    @Test
    void theTimingLineGivesRunAndPrepareTimes() {
        RunResult r = Runner.fromPeerTimingLine(
                "node", outcome(0, "ok\n", "uniwasm-bench: prepare_ns=4000000 run_ns=980000000\n"));
        assertEquals(0.98, r.appSeconds(), 1e-9);
        assertEquals(0.004, r.prepareSeconds(), 1e-9);
        assertEquals("ok\n", r.stdout());
    }
}
