package dev.uniwasm.bench.compute;

/**
 * How many timed runs one runner gets for one workload: the planned number, unless the runs so far
 * show that the next one would take the runner past its wall-time cap for the workload; never fewer
 * than the minimum, so that every median still has a spread. This keeps a full run of the suite
 * within its time budget when a runner is much slower than expected (a loaded machine, TCG), at
 * the price of fewer samples, which the report shows as n.
 */
record RunBudget(int planned, int minimum, double capSeconds) {
    RunBudget {
        if (planned < 1 || minimum < 1 || minimum > planned) {
            throw new IllegalArgumentException(
                    "run budget needs 1 <= minimum (" + minimum + ") <= planned (" + planned + ")");
        }
        if (!(capSeconds > 0)) throw new IllegalArgumentException("run budget needs a positive cap, not " + capSeconds);
    }

    /** Full runs: at least 3 of the planned runs, within {@code capSeconds}; quick runs: at least 1. */
    static RunBudget of(int planned, boolean quick, double capSeconds) {
        return new RunBudget(planned, Math.min(planned, quick ? 1 : 3), capSeconds);
    }

    /**
     * Whether to run once more after {@code done} runs that took {@code wallSoFar} seconds in all:
     * the next run is assumed to take as long as the mean of those.
     */
    boolean another(int done, double wallSoFar) {
        if (done >= planned) return false;
        if (done < minimum) return true;
        return wallSoFar + wallSoFar / done <= capSeconds;
    }
}
