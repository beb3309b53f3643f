package dev.uniwasm.bench.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RunBudgetTest {
    /** Runs as many times as the budget allows when each run takes {@code seconds}. */
    private static int runsOf(RunBudget b, double seconds) {
        int done = 0;
        while (b.another(done, done * seconds)) done++;
        return done;
    }

    @Test
    void fastRunnerGetsEveryPlannedRun() {
        assertEquals(5, runsOf(RunBudget.of(5, false, 60), 1.0));
    }

    @Test
    void slowRunnerStopsAtTheCapButNotBelowTheMinimum() {
        assertEquals(4, runsOf(RunBudget.of(5, false, 60), 15.0)); // 4 x 15 = 60 fits, a fifth would not
        assertEquals(3, runsOf(RunBudget.of(5, false, 60), 40.0)); // the cap is passed, the minimum still holds
    }

    @Test
    void quickRunsMayStopAfterOne() {
        assertEquals(1, runsOf(RunBudget.of(3, true, 20), 30.0));
        assertEquals(3, runsOf(RunBudget.of(3, true, 20), 1.0));
    }

    @Test
    void minimumNeverExceedsThePlan() {
        assertEquals(1, runsOf(RunBudget.of(1, false, 10), 100.0));
        assertThrows(IllegalArgumentException.class, () -> new RunBudget(2, 3, 10));
        assertThrows(IllegalArgumentException.class, () -> new RunBudget(3, 1, 0));
    }
}
