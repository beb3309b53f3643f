package dev.uniwasm.bench.compute;

import dev.uniwasm.bench.core.BarChart;
import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.Measurement;
import dev.uniwasm.bench.core.ReportWriter;
import dev.uniwasm.bench.core.Stats;
import dev.uniwasm.bench.core.Suite;
import dev.uniwasm.bench.core.SuiteReport;
import dev.uniwasm.monitor.KvmProbe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The same C programs compiled natively and to wasm32-wasi by one clang, run natively, as uniwasm
 * unikernels, and under Node.js, wasmtime, Chicory and GraalWasm. Every output must equal the native
 * one; the figures are the programs' own run times and their ratios to native.
 */
public final class ComputeSuite implements Suite {
    /** Wall time per runner and workload past which a runner gets fewer than its planned runs (see {@link RunBudget}). */
    static final double FULL_CAP_SECONDS = 90, QUICK_CAP_SECONDS = 30;

    @Override
    public String name() {
        return "compute";
    }

    @Override
    public String description() {
        return "programs of our own, zlib, bzip2, SQLite's speedtest1 and Debian's Lua 5.4 interpreter, natively and under each Wasm runner, as ratios to native";
    }

    static List<Runner> runners() {
        return List.of(
                new NativeRunner(),
                new LinuxVmRunner(),
                new UniwasmRunner(),
                new NodeRunner(),
                new JvmPeerRunner(JvmPeerRunner.Peer.WASMTIME),
                new JvmPeerRunner(JvmPeerRunner.Peer.CHICORY),
                new JvmPeerRunner(JvmPeerRunner.Peer.GRAALWASM));
    }

    /** Our kernels and the Lua scripts, each with a quick and a full input. */
    static List<Workload> workloads(BenchContext ctx, SuiteReport report) {
        Path programs = ctx.home().resolve("bench").resolve("programs");
        List<Workload> list = new ArrayList<>();
        // Full inputs take 0.3-0.5 s natively on a quiet 2-core machine: Chicory and GraalWasm run 20-80 times native
        // and uniwasm under TCG 5-50 times, so larger inputs would take the full run past its time budget (22 min for
        // this suite). matmul multiplies 200x200 matrices many times: at 400x400, uniwasm under TCG ran 73 times
        // native.
        record Kernel(String name, List<String> quick, List<String> full) {}
        for (Kernel k : List.of(
                new Kernel("matmul", List.of("120", "2"), List.of("200", "100")),
                new Kernel("nbody", List.of("200000"), List.of("3500000")),
                new Kernel("sha256", List.of("4", "1"), List.of("16", "4")))) {
            Path src = programs.resolve(k.name() + ".c");
            Path exe = ProgramBuild.buildNative(ctx, k.name(), List.of(src), List.of(), List.of("-Wall", "-Werror"));
            Path wasm = ProgramBuild.buildWasm(ctx, k.name(), List.of(src), List.of(), List.of("-Wall", "-Werror"));
            list.add(new Workload(k.name(), exe, wasm, k.quick(), k.full(), null));
        }
        record Compression(CompressionBuild.Library lib, List<String> quick, List<String> full) {}
        for (Compression c : List.of(
                new Compression(CompressionBuild.ZLIB, List.of("1", "6", "1"), List.of("4", "6", "1")),
                new Compression(CompressionBuild.BZIP2, List.of("1", "1"), List.of("1", "2")))) {
            try {
                Path[] built = CompressionBuild.build(ctx, c.lib());
                list.add(new Workload(c.lib().name(), built[0], built[1], c.quick(), c.full(), null));
            } catch (BenchException e) {
                report.fail(c.lib().name() + " could not be fetched or built: " + e.getMessage());
            }
        }
        try {
            Path[] speedtest1 = SqliteBuild.build(ctx);
            // --verify adds a hash of every query result to the output, so a wrong answer cannot pass as a fast one.
            // --size 6 (about 0.15 s natively, below the other workloads) because the peers' cost grows faster than the
            // input: at --size 14 GraalWasm took 270 s per run and Chicory 67 s (loaded machine), 21 minutes for this
            // workload alone; at --size 5, 29 s and 7 s
            list.add(new Workload(
                    "sqlite-speedtest1",
                    speedtest1[0],
                    speedtest1[1],
                    List.of("--memdb", "--verify", "--size", "2"),
                    List.of("--memdb", "--verify", "--size", "6"),
                    null,
                    Speedtest1Output::withoutTimings));
        } catch (BenchException e) {
            report.fail("SQLite's speedtest1 could not be fetched or built: " + e.getMessage());
        }
        try {
            Path[] lua = LuaBuild.build(ctx);
            Path scripts = programs.resolve("lua");
            list.add(new Workload(
                    "lua-fib",
                    lua[0],
                    lua[1],
                    List.of("{dir}/fib.lua", "25"),
                    List.of("{dir}/fib.lua", "32"),
                    scripts));
            // --quick keeps one Lua script: each workload costs every runner its start-up and load time
            if (!ctx.quick()) {
                list.add(new Workload(
                        "lua-strings", lua[0], lua[1], List.of(), List.of("{dir}/strings.lua", "100000"), scripts));
                list.add(new Workload(
                        "lua-tables", lua[0], lua[1], List.of(), List.of("{dir}/tables.lua", "300"), scripts));
            }
        } catch (BenchException e) {
            report.fail("Lua 5.4 could not be fetched or built: " + e.getMessage());
        }
        return list;
    }

    @Override
    public void run(BenchContext ctx, SuiteReport report) {
        long timeout = ctx.quick() ? 180 : 900;
        long suiteStart = System.nanoTime();
        List<Workload> workloads = workloads(ctx, report);
        List<Runner> runners = runners();
        Map<String, String> unavailable = new LinkedHashMap<>();
        for (Runner r : runners) {
            String why = r.unavailable(ctx);
            if (why != null) unavailable.put(r.name(), why);
        }
        // runner -> workload -> median app seconds (NaN when it failed or could not run)
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        Map<String, Map<String, Measurement>> appTimes = new LinkedHashMap<>();
        Map<String, Map<String, Measurement>> prepareTimes = new LinkedHashMap<>();
        for (Runner r : runners) {
            medians.put(r.name(), new LinkedHashMap<>());
            appTimes.put(r.name(), new LinkedHashMap<>());
            prepareTimes.put(r.name(), new LinkedHashMap<>());
        }
        Map<String, Double> elapsedByWorkload = new LinkedHashMap<>();
        for (Workload w : workloads) {
            long workloadStart = System.nanoTime();
            String expected = null;
            for (Runner r : runners) {
                medians.get(r.name()).put(w.name(), Double.NaN);
                if (unavailable.containsKey(r.name())) continue;
                RunBudget budget =
                        RunBudget.of(r.runs(ctx), ctx.quick(), ctx.quick() ? QUICK_CAP_SECONDS : FULL_CAP_SECONDS);
                ctx.say("compute " + w.name() + " on " + r.name() + " (" + budget.planned() + " runs, at least "
                        + budget.minimum() + ", fewer past " + (long) budget.capSeconds() + " s)");
                List<Double> app = new ArrayList<>(), wall = new ArrayList<>(), prepare = new ArrayList<>();
                double wallSum = 0;
                try {
                    if (r.needsWarmUp()) check(r, w, r.run(ctx, w, timeout), expected);
                    while (budget.another(app.size(), wallSum)) {
                        RunResult res = r.run(ctx, w, timeout);
                        if (r instanceof NativeRunner && expected == null)
                            expected = w.comparableOutput().apply(res.stdout());
                        check(r, w, res, expected);
                        app.add(res.appSeconds());
                        wall.add(res.wallSeconds());
                        wallSum += res.wallSeconds();
                        if (!Double.isNaN(res.prepareSeconds())) prepare.add(res.prepareSeconds());
                    }
                } catch (BenchException e) {
                    report.fail("compute " + w.name() + " on " + r.name() + ": " + e.getMessage());
                    ctx.say("  " + w.name() + " on " + r.name() + " FAILED: " + e.getMessage());
                    if (r instanceof NativeRunner) break; // without the reference output nothing can be checked
                    continue;
                }
                Measurement m = report.add(w.name(), r.name(), "run", "s", app);
                ctx.say(String.format(
                        Locale.ROOT,
                        "  %s on %s: median %.3f s of %d runs, %.1f s of wall time in all",
                        w.name(),
                        r.name(),
                        m.stats().median(),
                        app.size(),
                        wallSum));
                report.add(w.name(), r.name(), "wall", "s", wall);
                appTimes.get(r.name()).put(w.name(), m);
                medians.get(r.name()).put(w.name(), m.stats().median());
                if (!prepare.isEmpty())
                    prepareTimes.get(r.name()).put(w.name(), report.add(w.name(), r.name(), "prepare", "s", prepare));
            }
            double elapsed = (System.nanoTime() - workloadStart) / 1e9;
            elapsedByWorkload.put(w.name(), elapsed);
            ctx.say(String.format(
                    Locale.ROOT,
                    "compute %s took %.0f s on all runners; the suite so far %.0f s",
                    w.name(),
                    elapsed,
                    (System.nanoTime() - suiteStart) / 1e9));
        }
        writeMarkdown(ctx, report, workloads, runners, unavailable, appTimes, prepareTimes, medians);
        writeElapsed(report, elapsedByWorkload, (System.nanoTime() - suiteStart) / 1e9);
    }

    private static void check(Runner r, Workload w, RunResult res, String expected) {
        if (res.stdout().isBlank()) throw new BenchException(r.name() + " printed nothing for " + w.name());
        String actual = w.comparableOutput().apply(res.stdout());
        if (expected != null && !actual.equals(expected)) {
            throw new BenchException(
                    "wrong output from " + r.name() + " for " + w.name() + ": " + firstDifference(expected, actual));
        }
    }

    /** Where two outputs part: the first line that differs, as native printed it and as the runner did. */
    static String firstDifference(String expected, String actual) {
        List<String> want = expected.lines().toList(), got = actual.lines().toList();
        for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
            String a = i < want.size() ? abbreviate(want.get(i)) : "(end of output)";
            String b = i < got.size() ? abbreviate(got.get(i)) : "(end of output)";
            if (!a.equals(b)) return "line " + (i + 1) + " of " + want.size() + ": expected " + a + " but got " + b;
        }
        return "the outputs differ in line endings (expected " + abbreviate(expected) + " but got " + abbreviate(actual)
                + ")";
    }

    private static String abbreviate(String s) {
        String t = s.strip().replace("\n", "\\n");
        return "\"" + (t.length() > 200 ? t.substring(0, 200) + "..." : t) + "\"";
    }

    /** The suite's wall time per workload (every runner, warm-ups and failures included), for the full run's time budget. */
    private static void writeElapsed(SuiteReport report, Map<String, Double> elapsedByWorkload, double total) {
        report.md("\nWall time of this suite per workload, all runners together: ");
        report.md(String.join(
                ", ",
                elapsedByWorkload.entrySet().stream()
                        .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.0f s", e.getValue()))
                        .toList()));
        report.md(String.format(Locale.ROOT, "; %.0f s in all, builds included.%n", total));
    }

    /**
     * uniwasm against the native program in a Linux VM: the paper's comparison, and under TCG the one
     * that compares code rather than emulation (both run in the same emulator).
     */
    static String againstLinuxVm(List<Workload> workloads, Map<String, Map<String, Double>> medians) {
        Map<String, Double> vm = medians.getOrDefault(LinuxVmRunner.NAME, Map.of()),
                uniwasm = medians.getOrDefault(UniwasmRunner.NAME, Map.of());
        List<String> parts = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (Workload w : workloads) {
            double ratio = uniwasm.getOrDefault(w.name(), Double.NaN) / vm.getOrDefault(w.name(), Double.NaN);
            if (Double.isNaN(ratio) || ratio <= 0) continue;
            ratios.add(ratio);
            parts.add(w.name() + " ×" + ReportWriter.fmt(ratio));
        }
        if (ratios.isEmpty()) return "";
        return "**uniwasm ÷ native in a Linux VM** (the same QEMU machine and accelerator, so under TCG the same emulator): geometric mean **×"
                + ReportWriter.fmt(Stats.geometricMean(ratios)) + "**"
                + (ratios.size() == workloads.size()
                        ? ""
                        : " (" + ratios.size() + " of " + workloads.size() + " workloads)")
                + "; " + String.join(", ", parts) + ".\n\n";
    }

    private static void writeMarkdown(
            BenchContext ctx,
            SuiteReport report,
            List<Workload> workloads,
            List<Runner> runners,
            Map<String, String> unavailable,
            Map<String, Map<String, Measurement>> appTimes,
            Map<String, Map<String, Measurement>> prepareTimes,
            Map<String, Map<String, Double>> medians) {
        boolean kvm = KvmProbe.probe().usable();
        report.md(
                "C programs compiled by Debian's clang with `-O2`, natively and to wasm32-wasi (wasi-libc); each figure is the median of N runs ("
                        + runners.stream()
                                .map(r -> r.name() + " " + r.runs(ctx))
                                .collect(java.util.stream.Collectors.joining(", "))
                        + "; n=… where the wall-time cap of "
                        + (long) (ctx.quick() ? QUICK_CAP_SECONDS : FULL_CAP_SECONDS)
                        + " s per runner and workload cut the runs) with min..max in brackets, in seconds, then the ratio of medians to native (lower is better). "
                        + "Outputs are checked against native's byte for byte (speedtest1's own per-test timings masked; its `--verify` hash of every query result kept).\n\n");
        if (!kvm) {
            report.md("**uniwasm ran under TCG (QEMU's emulator), not KVM: its figures here are emulation numbers,** "
                    + "not what uniwasm does on KVM.\n\n");
        }
        report.md("| workload | args (" + (ctx.quick() ? "quick" : "full") + ") |");
        for (Runner r : runners) report.md(" " + r.name() + " |");
        report.md("\n|---|---|" + "---|".repeat(runners.size()) + "\n");
        for (Workload w : workloads) {
            report.md("| " + w.name() + " | `" + String.join(" ", w.args(ctx.quick(), true)) + "` |");
            double nativeMedian = medians.get("native").getOrDefault(w.name(), Double.NaN);
            for (Runner r : runners) {
                Measurement m = appTimes.get(r.name()).get(w.name());
                if (m == null) {
                    report.md(unavailable.containsKey(r.name()) ? " n/a |" : " **failed** |");
                    continue;
                }
                Stats s = m.stats();
                String ratio = r instanceof NativeRunner || Double.isNaN(nativeMedian)
                        ? ""
                        : " ×" + ReportWriter.fmt(s.median() / nativeMedian);
                String fewer = s.count() < r.runs(ctx) ? " n=" + s.count() : "";
                report.md(" " + ReportWriter.medianAndRange(s) + ratio + fewer + " |");
            }
            report.md("\n");
        }
        report.md("| **geometric mean of ratios** | |");
        Map<String, List<Double>> chartSeries = new LinkedHashMap<>();
        for (Runner r : runners) {
            List<Double> ratios = new ArrayList<>();
            List<Double> perWorkload = new ArrayList<>();
            for (Workload w : workloads) {
                double n = medians.get("native").getOrDefault(w.name(), Double.NaN);
                double v = medians.get(r.name()).getOrDefault(w.name(), Double.NaN);
                double ratio = v / n;
                perWorkload.add(ratio);
                if (!Double.isNaN(ratio) && ratio > 0) ratios.add(ratio);
            }
            if (!(r instanceof NativeRunner)) chartSeries.put(r.name(), perWorkload);
            boolean complete = ratios.size() == workloads.size();
            report.md(
                    r instanceof NativeRunner
                            ? " 1 |"
                            : ratios.isEmpty()
                                    ? " – |"
                                    : " **×" + ReportWriter.fmt(Stats.geometricMean(ratios)) + "**"
                                            + (complete ? "" : " (" + ratios.size() + " of " + workloads.size() + ")")
                                            + " |");
        }
        report.md("\n\n");
        report.md(againstLinuxVm(workloads, medians));
        if (!unavailable.isEmpty()) {
            report.md("Runners that cannot run here:\n\n");
            unavailable.forEach((n, why) -> report.md("- " + n + ": " + why + "\n"));
            report.md("\n");
        }
        report.md("What each runner's time covers:\n\n");
        for (Runner r : runners) report.md("- " + r.name() + ": " + r.timingSource() + "\n");
        report.md(
                "\nLoad time of the runtimes that compile at load (parse, compile, instantiate; median seconds):\n\n| workload |");
        List<Runner> loaders = runners.stream()
                .filter(r -> !prepareTimes.get(r.name()).isEmpty())
                .toList();
        for (Runner r : loaders) report.md(" " + r.name() + " |");
        report.md("\n|---|" + "---|".repeat(loaders.size()) + "\n");
        for (Workload w : workloads) {
            report.md("| " + w.name() + " |");
            for (Runner r : loaders) {
                Measurement m = prepareTimes.get(r.name()).get(w.name());
                report.md(" " + (m == null ? "–" : ReportWriter.medianAndRange(m.stats())) + " |");
            }
            report.md("\n");
        }
        report.md(
                "\nuniwasm compiles ahead of time: its compile time is in the compile suite. From Debian's source packages: "
                        + "Lua `lua5.4` " + LuaBuild.DEBIAN_VERSION + ", `zlib` "
                        + CompressionBuild.ZLIB.source().debianVersion()
                        + " and `bzip2` " + CompressionBuild.BZIP2.source().debianVersion()
                        + " (with our drivers `zlib_deflate.c`, `bzip2_compress.c`), "
                        + "`sqlite3` " + SqliteBuild.DEBIAN_VERSION
                        + " (speedtest1 on an in-memory database, with SQLite's OS layer replaced by our "
                        + "memory-only VFS `sqlite/memory-only-vfs.c` in both builds: SQLite's unix VFS does not build with wasi-libc, "
                        + "and file I/O would compare a unikernel's tmpfs with the host's file system).\n");
        report.chart(new BarChart(
                "compute-ratio.png",
                "Compute: run time / native (median" + (kvm ? "" : "; uniwasm under TCG") + ")",
                "ratio to native",
                workloads.stream().map(Workload::name).toList(),
                chartSeries,
                true));
    }
}
