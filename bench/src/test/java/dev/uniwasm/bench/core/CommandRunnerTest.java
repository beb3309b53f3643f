package dev.uniwasm.bench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
    @Test
    void capturesOutputStatusAndLogsAPastableCommandLine() {
        CommandRunner r = new CommandRunner();
        CommandRunner.Outcome o =
                r.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), null, Map.of("A", "b c"), 30);
        assertEquals(3, o.status());
        assertEquals("out\n", o.out());
        assertEquals("err\n", o.err());
        assertFalse(o.ok());
        assertEquals(List.of("A='b c' sh -c 'echo out; echo err >&2; exit 3'"), r.commandLog());
        assertTrue(o.describeFailure().contains("exited with status 3"), o.describeFailure());
    }

    @Test
    void killsACommandThatOutlivesItsLimit() {
        long t0 = System.nanoTime();
        CommandRunner.Outcome o = new CommandRunner().run(List.of("sleep", "30"), null, 1);
        assertTrue(o.timedOut());
        assertFalse(o.ok());
        assertTrue(System.nanoTime() - t0 < 15_000_000_000L, "the time limit was not enforced");
        assertTrue(o.describeFailure().contains("timed out"), o.describeFailure());
    }

    @Test
    void aMissingProgramIsAFailureNotAnException() {
        CommandRunner.Outcome o = new CommandRunner().run(List.of("/nonexistent/tool"), null, 5);
        assertEquals(127, o.status());
        assertThrows(BenchException.class, () -> new CommandRunner().require(List.of("/nonexistent/tool"), null, 5));
    }

    @Test
    void timingsTableOfTheCliIsRead() {
        String err = """
                uniwasm: KVM not available, using TCG (slower)
                uniwasm timings (microvm, tcg):
                  JVM start        81.234 ms  (launch to main)
                  image build       2.000 ms  (cached)
                  guest boot          n/a  (boot line to _start, host clock)
                  app             123.456 ms  (_start to exit)
                """;
        Map<String, Double> rows = UniwasmTimings.parse(err);
        assertEquals(81.234, rows.get("JVM start"));
        assertEquals(2.0, rows.get("image build"));
        assertEquals(123.456, rows.get("app"));
        assertFalse(rows.containsKey("guest boot"));
        assertThrows(BenchException.class, () -> UniwasmTimings.parse("no table here"));
    }
}
