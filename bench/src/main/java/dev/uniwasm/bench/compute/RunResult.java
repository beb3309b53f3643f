package dev.uniwasm.bench.compute;

/**
 * One run of a workload: its standard output, the time of the program itself ({@code appSeconds},
 * as the runner measured it, see {@link Runner#timingSource()}), the whole command's wall time, and,
 * for runtimes that compile at load time, how long loading took (NaN when not reported).
 */
public record RunResult(String stdout, double appSeconds, double wallSeconds, double prepareSeconds) {}
