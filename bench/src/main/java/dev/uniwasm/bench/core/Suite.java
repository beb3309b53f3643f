package dev.uniwasm.bench.core;

/** One group of benchmarks, each also a check: it reports wrong outputs and failed runs as failures. */
public interface Suite {
    /** The name used on the command line and in the report. */
    String name();

    /** One sentence: what the suite measures. */
    String description();

    /**
     * Runs the suite, recording figures, Markdown and failures in {@code report}. A {@link
     * BenchException} thrown here is recorded as a failure of the whole suite.
     */
    void run(BenchContext context, SuiteReport report);
}
