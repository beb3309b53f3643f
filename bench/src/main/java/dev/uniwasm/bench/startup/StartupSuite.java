package dev.uniwasm.bench.startup;

import dev.uniwasm.bench.core.BarChart;
import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.CommandRunner;
import dev.uniwasm.bench.core.Launcher;
import dev.uniwasm.bench.core.Measurement;
import dev.uniwasm.bench.core.ReportWriter;
import dev.uniwasm.bench.core.Suite;
import dev.uniwasm.bench.core.SuiteReport;
import dev.uniwasm.bench.core.UniwasmTimings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long until an application does its work, from the command a user types:
 * <ul>
 *   <li>{@code uniwasm run} of the hello example to its exit, the image cached (one warm-up run
 *       builds it), split by the CLI's {@code --timings} into JVM start, CLI set-up, image build (a
 *       cache hit), QEMU start, guest boot, app and VM shutdown;
 *   <li>the same with an empty image cache (the image is compiled and linked in the run);
 *   <li>hello as a native process and under Node.js ({@code node:wasi}), as the peers;
 *   <li>the HTTP server from {@code uniwasm run} to its first answered request ({@link FirstResponse}).
 * </ul>
 */
public final class StartupSuite implements Suite {
    static final String EXPECTED_FIRST_LINE = "hello from uniwasm";

    @Override
    public String name() {
        return "startup";
    }

    @Override
    public String description() {
        return "uniwasm run of hello to exit (cached image: split into JVM, image build, QEMU, guest boot, app; "
                + "uncached image), hello natively and under Node.js, and the HTTP server to its first response";
    }

    @Override
    public void run(BenchContext ctx, SuiteReport report) {
        int runs = ctx.runs(20, 5);
        Path hello = ctx.home().resolve("build").resolve("examples").resolve("hello.wasm");
        List<String> args = List.of("run", "--timings", hello.toString());
        List<String> cmd = new ArrayList<>(List.of(ctx.launcher().toString()));
        cmd.addAll(args);
        // the launcher builds the project and the examples when needed; that run is the warm-up
        ctx.say("startup: warm-up (builds the cached image of hello)");
        check(ctx.commands().run(cmd, null, 900), hello, "uniwasm");
        Map<String, List<Double>> rows = new LinkedHashMap<>();
        List<Double> wall = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            CommandRunner.Outcome o = Launcher.run(ctx, List.of(), args, Map.of(), 120);
            check(o, hello, "uniwasm");
            UniwasmTimings.parse(o.err())
                    .forEach((k, v) ->
                            rows.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            wall.add(o.wallNanos() / 1e6);
        }
        report.md("### hello to exit\n\n`"
                + String.join(
                        " ",
                        cmd.stream().map(s -> s.replace(ctx.home() + "/", "")).toList()) + "`, " + runs
                + " runs after one warm-up; median (min..max) in milliseconds. The rows are the CLI's `--timings`; "
                + "\"wall\" is the whole command as the harness saw it (launcher script, JVM exit included).\n\n");
        report.md("| step | ms |\n|---|---|\n");
        List<String> names = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        for (String row : UniwasmTimings.ROWS) {
            List<Double> samples = rows.get(row);
            if (samples == null || samples.size() != runs) {
                report.md("| " + row + " | not reported in every run |\n");
                continue;
            }
            Measurement m = report.add("hello", "uniwasm", row, "ms", samples);
            report.md("| " + row + " | " + ReportWriter.medianAndRange(m.stats()) + " |\n");
            if (!row.equals("total")) {
                names.add(row);
                medians.add(m.stats().median());
            }
        }
        Measurement w = report.add("hello", "uniwasm", "wall", "ms", wall);
        report.md("| wall | " + ReportWriter.medianAndRange(w.stats()) + " |\n\n");
        report.chart(new BarChart(
                "startup.png",
                "uniwasm run hello: where the time goes (median ms)",
                "ms",
                names,
                Map.of("uniwasm", medians),
                false));

        peers(ctx, report, hello, w);
        try {
            FirstResponse.measure(ctx, report, runs);
        } catch (BenchException e) {
            report.fail("startup of the HTTP server: " + e.getMessage());
        }
    }

    /** hello's wall time with an empty image cache, natively and under Node.js, next to the cached run. */
    private static void peers(BenchContext ctx, SuiteReport report, Path hello, Measurement cachedWall) {
        Map<String, Measurement> walls = new LinkedHashMap<>();
        Map<String, String> commands = new LinkedHashMap<>();
        walls.put("uniwasm (image cached)", cachedWall);
        commands.put("uniwasm (image cached)", "as above");

        int uncachedRuns = ctx.runs(3, 1);
        List<Double> uncached = new ArrayList<>();
        try {
            for (int i = 0; i < uncachedRuns; i++) {
                Path cache = Files.createTempDirectory(ctx.work(), "startup-cache-");
                try {
                    CommandRunner.Outcome o = Launcher.run(
                            ctx,
                            List.of(),
                            List.of("run", hello.toString()),
                            Map.of("XDG_CACHE_HOME", cache.toString()),
                            300);
                    check(o, hello, "uniwasm without a cached image");
                    uncached.add(o.wallNanos() / 1e6);
                } finally {
                    deleteTree(cache);
                }
            }
            walls.put(
                    "uniwasm (image built in the run)",
                    report.add("hello", "uniwasm-uncached", "wall", "ms", uncached));
            commands.put(
                    "uniwasm (image built in the run)",
                    "`XDG_CACHE_HOME=<empty folder> ./uniwasm run hello.wasm` (compile -O2, link)");
        } catch (IOException | BenchException e) {
            report.fail("startup: hello with an empty image cache: " + e.getMessage());
        }

        int runs = ctx.runs(20, 5);
        Path nativeHello = ctx.work().resolve("startup").resolve("hello-native");
        try {
            Files.createDirectories(nativeHello.getParent());
            ctx.commands()
                    .require(
                            List.of(
                                    "clang",
                                    "-O2",
                                    "-o",
                                    nativeHello.toString(),
                                    ctx.home()
                                            .resolve("examples")
                                            .resolve("hello.c")
                                            .toString()),
                            null,
                            120);
            walls.put("native process", timed(ctx, report, "native", List.of(nativeHello.toString()), hello, runs));
            commands.put("native process", "`clang -O2 examples/hello.c`, run directly");
        } catch (IOException | BenchException e) {
            report.fail("startup: hello as a native process: " + e.getMessage());
        }
        try {
            Path nodeRun = ctx.home().resolve("examples").resolve("wasi").resolve("node-run.mjs");
            walls.put(
                    "Node.js (node:wasi)",
                    timed(
                            ctx,
                            report,
                            "node",
                            List.of("node", "--no-warnings", nodeRun.toString(), hello.toString()),
                            hello,
                            runs));
            commands.put(
                    "Node.js (node:wasi)",
                    "`node examples/wasi/node-run.mjs hello.wasm` (compiles the module at load)");
        } catch (BenchException e) {
            report.fail("startup: hello under Node.js: " + e.getMessage());
        }

        report.md("### hello to exit, side by side\n\nWall time of the whole command, median (min..max) in ms.\n\n"
                + "| how | command | ms | ratio to native |\n|---|---|---|---|\n");
        Measurement nat = walls.get("native process");
        for (Map.Entry<String, Measurement> e : walls.entrySet()) {
            double ratio = nat == null
                    ? Double.NaN
                    : e.getValue().stats().median() / nat.stats().median();
            report.md("| " + e.getKey() + " | " + commands.get(e.getKey()) + " | "
                    + ReportWriter.medianAndRange(e.getValue().stats()) + " | "
                    + (Double.isNaN(ratio) ? "–" : "×" + ReportWriter.fmt(ratio)) + " |\n");
        }
        report.md("\n");
        report.chart(new BarChart(
                "startup-peers.png",
                "hello to exit: wall time (median ms)",
                "ms",
                List.copyOf(walls.keySet()),
                Map.of(
                        "wall",
                        walls.values().stream().map(m -> m.stats().median()).toList()),
                true));
    }

    private static Measurement timed(
            BenchContext ctx, SuiteReport report, String runner, List<String> cmd, Path hello, int runs) {
        List<Double> wall = new ArrayList<>();
        check(ctx.commands().run(cmd, null, 60), hello, runner); // warm-up: file cache, node's code cache
        for (int i = 0; i < runs; i++) {
            CommandRunner.Outcome o = ctx.commands().run(cmd, null, 60);
            check(o, hello, runner);
            wall.add(o.wallNanos() / 1e6);
        }
        return report.add("hello", runner, "wall", "ms", wall);
    }

    static void check(CommandRunner.Outcome o, Path hello, String runner) {
        if (!Files.isRegularFile(hello)) throw new BenchException(hello + " is missing (examples/build makes it)");
        if (!o.ok()) throw new BenchException("startup (" + runner + "): " + o.describeFailure());
        if (!o.out().startsWith(EXPECTED_FIRST_LINE + "\n") || !o.out().contains("arg[0]=")) {
            throw new BenchException("startup (" + runner + "): hello printed "
                    + o.out().strip() + " instead of its greeting and arguments");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
