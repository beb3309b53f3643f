package dev.uniwasm.bench;

import dev.uniwasm.bench.compile.CompileSuite;
import dev.uniwasm.bench.compute.ComputeSuite;
import dev.uniwasm.bench.containers.ContainersSuite;
import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.CommandRunner;
import dev.uniwasm.bench.core.MachineInfo;
import dev.uniwasm.bench.core.ReportWriter;
import dev.uniwasm.bench.core.Suite;
import dev.uniwasm.bench.core.SuiteReport;
import dev.uniwasm.bench.density.DensitySuite;
import dev.uniwasm.bench.http.HttpSuite;
import dev.uniwasm.bench.startup.StartupSuite;
import dev.uniwasm.testkit.KitException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark harness: runs the chosen suites and writes the report. Used by {@code uniwasm bench}.
 */
public final class Bench {
    /** Exit status when a suite failed a check or a run. */
    public static final int SUITE_FAILED = 1;

    /** Suites that are planned but not written yet, with what they wait for. */
    public static final Map<String, String> NOT_IMPLEMENTED = notImplemented();

    private static Map<String, String> notImplemented() {
        Map<String, String> m = new LinkedHashMap<>();
        return java.util.Collections.unmodifiableMap(m);
    }

    private Bench() {}

    /** The implemented suites, in the order a full run takes them. */
    public static Map<String, Suite> suites() {
        Map<String, Suite> all = new LinkedHashMap<>();
        for (Suite s : List.of(
                new StartupSuite(),
                new ComputeSuite(),
                new CompileSuite(),
                new HttpSuite(),
                new DensitySuite(),
                new ContainersSuite())) all.put(s.name(), s);
        return all;
    }

    /** Checks suite names; throws IllegalArgumentException naming an unknown or unimplemented one. */
    public static List<Suite> select(List<String> names) {
        Map<String, Suite> all = suites();
        if (names.isEmpty()) return List.copyOf(all.values());
        List<Suite> chosen = new ArrayList<>();
        for (String n : names) {
            if (NOT_IMPLEMENTED.containsKey(n))
                throw new IllegalArgumentException(
                        "suite '" + n + "' is not implemented yet: " + NOT_IMPLEMENTED.get(n));
            Suite s = all.get(n);
            if (s == null)
                throw new IllegalArgumentException(
                        "unknown suite '" + n + "' (suites: " + String.join(", ", all.keySet()) + ")");
            if (!chosen.contains(s)) chosen.add(s);
        }
        return chosen;
    }

    /** The default report folder: {@code bench/results/<UTC date>}. */
    public static Path defaultOut(Path home) {
        return home.resolve("bench")
                .resolve("results")
                .resolve(LocalDate.now(ZoneOffset.UTC).toString());
    }

    /**
     * Runs the suites and writes the report into {@code out}; returns 0 when every suite passed its
     * checks and {@link #SUITE_FAILED} otherwise.
     */
    public static int run(
            Path home, List<Suite> suites, boolean quick, Path out, List<String> invocation, PrintStream progress) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        CommandRunner commands = new CommandRunner();
        Path work = home.resolve("bench").resolve("work");
        try {
            // suites make temporary folders in it; on a fresh checkout it does not exist yet
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work folder " + work + ": " + e.getMessage(), e);
        }
        BenchContext ctx = new BenchContext(home, work, quick, commands, progress);
        Map<String, String> machine = MachineInfo.describe(ctx);
        List<SuiteReport> reports = new ArrayList<>();
        for (Suite s : suites) {
            ctx.say("suite " + s.name() + ": " + s.description());
            SuiteReport r = new SuiteReport(s.name());
            long s0 = System.nanoTime();
            try {
                s.run(ctx, r);
            } catch (RuntimeException e) {
                // a defect of the harness still ends in a report that names it
                r.fail("suite " + s.name() + " stopped: "
                        + (e instanceof BenchException || e instanceof KitException ? e.getMessage() : e.toString()));
            }
            r.seconds((System.nanoTime() - s0) / 1e9);
            for (String f : r.failures()) progress.println("bench: FAILED: " + f);
            reports.add(r);
        }
        for (Map.Entry<String, String> n : NOT_IMPLEMENTED.entrySet()) {
            SuiteReport r = new SuiteReport(n.getKey());
            r.md("**Not implemented yet:** " + n.getValue() + ". No figures.\n");
            reports.add(r);
        }
        ReportWriter.write(
                out,
                machine,
                invocation,
                quick,
                started,
                (System.nanoTime() - t0) / 1e9,
                reports,
                commands.commandLog());
        boolean failed = reports.stream().anyMatch(r -> !r.failures().isEmpty());
        progress.println("bench: report in " + out.resolve("report.md") + (failed ? " (FAILED: see the report)" : ""));
        return failed ? SUITE_FAILED : 0;
    }
}
