package dev.uniwasm.bench.compile;

import dev.uniwasm.bench.core.BarChart;
import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.CommandRunner;
import dev.uniwasm.bench.core.Launcher;
import dev.uniwasm.bench.core.Measurement;
import dev.uniwasm.bench.core.ReportWriter;
import dev.uniwasm.bench.core.Suite;
import dev.uniwasm.bench.core.SuiteReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Time and peak memory of {@code uniwasm build} (decode, validate, compile with LLVM, link) for the
 * compute programs and CPython, cold (a fresh, empty object cache through {@code XDG_CACHE_HOME})
 * and cached (the same cache again), per optimisation level. Peak memory is GNU time's maximum
 * resident set size: that of the largest process, the JVM.
 */
public final class CompileSuite implements Suite {
    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");

    @Override
    public String name() {
        return "compile";
    }

    @Override
    public String description() {
        return "uniwasm build of the compute programs and CPython: time and peak RSS, cold and cached, -O0 and -O2";
    }

    private record Program(String name, Path wasm, boolean big) {}

    @Override
    public void run(BenchContext ctx, SuiteReport report) {
        if (!Files.isExecutable(Path.of("/usr/bin/time")))
            throw new BenchException("/usr/bin/time (Debian package time) is missing: it measures peak memory");
        List<Program> programs = new ArrayList<>();
        Path wasmDir = ctx.work().resolve("compute").resolve("wasm");
        for (String n : List.of("matmul", "nbody", "sha256", "zlib_deflate", "bzip2_compress", "speedtest1", "lua")) {
            Path w = wasmDir.resolve(n + ".wasm");
            // speedtest1 carries SQLite (1 MiB of Wasm, about 30 s cold at -O2 here): built cold once per level, like
            // CPython
            if (Files.isRegularFile(w)) programs.add(new Program(n, w, n.equals("speedtest1")));
            else report.md("- " + n + ": no " + w + " (the compute suite builds it; run it first or together)\n");
        }
        try {
            programs.add(new Program("cpython", CPythonWasm.fetch(), true));
        } catch (BenchException e) {
            report.fail("CPython: " + e.getMessage());
        }
        List<Integer> levels = ctx.quick() ? List.of(2) : List.of(0, 2);
        int runs = ctx.runs(3, 2);
        Path scratch = ctx.work().resolve("compile");
        report.md(
                "`uniwasm build APP.wasm -o APP.img -O<level>` under `/usr/bin/time -v`. Cold: a fresh empty object cache "
                        + "(`XDG_CACHE_HOME` pointing at a new folder) each run; cached: the same command again with that cache filled. "
                        + "Cached: median (min..max) of " + runs
                        + " runs; cold: one run per program and level (quick: no cold build of CPython "
                        + "and speedtest1); peak RSS is the JVM's maximum resident set.\n\n");
        report.md(
                "| program | size | level | cold s | cold peak MiB | cached s | cached peak MiB |\n|---|---|---|---|---|---|---|\n");
        List<String> categories = new ArrayList<>();
        List<Double> coldSeries = new ArrayList<>(), cachedSeries = new ArrayList<>();
        for (Program p : programs) {
            for (int level : levels) {
                String label = p.name() + " -O" + level;
                boolean skipCold = p.big() && ctx.quick();
                // a cold build is the compile itself, seconds to minutes each: one per program and level
                // keeps the full run within its hour; the cached builds (the start-up path) get the medians
                int coldRuns = 1;
                try {
                    List<Double> coldTime = new ArrayList<>(),
                            coldRss = new ArrayList<>(),
                            cachedTime = new ArrayList<>(),
                            cachedRss = new ArrayList<>();
                    Path cache = scratch.resolve("cache-" + p.name() + "-O" + level);
                    double warmUp = Double.NaN;
                    if (skipCold) {
                        // the user's own object cache: warm it once (a compile if it is empty), then time cached builds
                        ctx.say("compile: " + label
                                + " warm-up in the user's object cache (quick: no cold build of the big programs)");
                        warmUp = build(ctx, p, level, null, scratch)[0];
                    } else {
                        for (int i = 0; i < coldRuns; i++) {
                            deleteTree(cache);
                            ctx.say("compile: " + label + " cold (" + (i + 1) + "/" + coldRuns + ")");
                            double[] r = build(ctx, p, level, cache, scratch);
                            coldTime.add(r[0]);
                            coldRss.add(r[1]);
                        }
                    }
                    for (int i = 0; i < runs; i++) {
                        ctx.say("compile: " + label + " cached (" + (i + 1) + "/" + runs + ")");
                        double[] r = build(ctx, p, level, skipCold ? null : cache, scratch);
                        cachedTime.add(r[0]);
                        cachedRss.add(r[1]);
                    }
                    deleteTree(cache);
                    long bytes = p.wasm().toFile().length();
                    String size = bytes >= 1 << 20
                            ? String.format("%.1f MiB", bytes / 1048576.0)
                            : String.format("%.0f KiB", bytes / 1024.0);
                    String coldT = "–", coldM = "–";
                    categories.add(label);
                    if (!coldTime.isEmpty()) {
                        Measurement ct = report.add(label, "uniwasm", "build cold", "s", coldTime);
                        Measurement cm = report.add(label, "uniwasm", "build cold peak RSS", "MiB", coldRss);
                        coldT = ReportWriter.medianAndRange(ct.stats());
                        coldM = ReportWriter.medianAndRange(cm.stats());
                        coldSeries.add(ct.stats().median());
                    } else {
                        coldSeries.add(Double.NaN);
                    }
                    Measurement ht = report.add(label, "uniwasm", "build cached", "s", cachedTime);
                    Measurement hm = report.add(label, "uniwasm", "build cached peak RSS", "MiB", cachedRss);
                    cachedSeries.add(ht.stats().median());
                    report.md("| " + p.name() + " | " + size + " | -O" + level + " | "
                            + (skipCold
                                    ? "skipped (quick; the warm-up build took " + ReportWriter.fmt(warmUp) + " s)"
                                    : coldT)
                            + " | " + coldM + " | " + ReportWriter.medianAndRange(ht.stats()) + " | "
                            + ReportWriter.medianAndRange(hm.stats()) + " |\n");
                } catch (BenchException e) {
                    report.fail("compile " + label + ": " + e.getMessage());
                }
            }
        }
        report.chart(new BarChart(
                "compile.png",
                "uniwasm build: seconds (median)",
                "s",
                categories,
                Map.of("cold", coldSeries, "cached", cachedSeries),
                true));
    }

    /** One build; returns {seconds, peak RSS MiB}. A null cache means the user's default cache. */
    private static double[] build(BenchContext ctx, Program p, int level, Path cache, Path scratch) {
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new BenchException("cannot create " + scratch + ": " + e.getMessage(), e);
        }
        Path image = scratch.resolve(p.name() + "-O" + level + ".img");
        List<String> cmd = List.of("build", p.wasm().toString(), "-o", image.toString(), "-O" + level);
        Map<String, String> env = new LinkedHashMap<>();
        if (cache != null) env.put("XDG_CACHE_HOME", cache.toString());
        CommandRunner.Outcome o = Launcher.run(ctx, List.of("/usr/bin/time", "-v"), cmd, env, p.big() ? 3600 : 900);
        if (!o.ok()) throw new BenchException(o.describeFailure());
        if (!Files.isRegularFile(image))
            throw new BenchException(String.join(" ", cmd) + " exited 0 but wrote no " + image);
        Matcher m = MAX_RSS.matcher(o.err());
        if (!m.find())
            throw new BenchException("no maximum resident set size from /usr/bin/time -v:\n"
                    + o.err().strip());
        try {
            Files.delete(image);
        } catch (IOException e) {
            throw new BenchException("cannot delete " + image + ": " + e.getMessage(), e);
        }
        return new double[] {o.wallNanos() / 1e9, Long.parseLong(m.group(1)) / 1024.0};
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        } catch (IOException e) {
            throw new BenchException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
