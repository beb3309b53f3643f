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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code uniwasm run} of the hello example to its exit, the image cached (one warm-up run builds it),
 * split by the CLI's {@code --timings} into JVM start, CLI set-up, image build (a cache hit), QEMU
 * start, guest boot, app and VM shutdown, plus the wall time of the whole command.
 */
public final class StartupSuite implements Suite {
    private static final String EXPECTED_FIRST_LINE = "hello from uniwasm";

    @Override
    public String name() {
        return "startup";
    }

    @Override
    public String description() {
        return "uniwasm run of hello to exit (cached image), split into JVM, image build, QEMU, guest boot, app";
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
        check(ctx.commands().run(cmd, null, 900), hello);
        Map<String, List<Double>> rows = new LinkedHashMap<>();
        List<Double> wall = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            CommandRunner.Outcome o = Launcher.run(ctx, List.of(), args, Map.of(), 120);
            check(o, hello);
            UniwasmTimings.parse(o.err()).forEach((k, v) -> rows.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            wall.add(o.wallNanos() / 1e6);
        }
        report.md("`" + String.join(" ", cmd.stream().map(s -> s.replace(ctx.home() + "/", "")).toList()) + "`, " + runs
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
        report.md("| wall | " + ReportWriter.medianAndRange(w.stats()) + " |\n");
        report.chart(new BarChart("startup.png", "uniwasm run hello: where the time goes (median ms)", "ms", names,
                Map.of("uniwasm", medians), false));
    }

    private static void check(CommandRunner.Outcome o, Path hello) {
        if (!Files.isRegularFile(hello)) throw new BenchException(hello + " is missing (examples/build makes it)");
        if (!o.ok()) throw new BenchException("startup: " + o.describeFailure());
        if (!o.out().startsWith(EXPECTED_FIRST_LINE + "\n") || !o.out().contains("arg[0]=hello.wasm\n")) {
            throw new BenchException("startup: hello printed " + o.out().strip() + " instead of its greeting and arguments");
        }
    }
}
