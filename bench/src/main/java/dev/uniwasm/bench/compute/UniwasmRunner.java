package dev.uniwasm.bench.compute;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.CommandRunner;
import dev.uniwasm.bench.core.Launcher;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The module as a uniwasm unikernel: {@code ./uniwasm run --timings} of the .wasm (an image cached
 * after the warm-up run). The app time is the CLI's "app" row: from the guest's {@code _start} line
 * to its exit line, as the host saw them arrive.
 */
final class UniwasmRunner implements Runner {
    static final String NAME = "uniwasm";
    static final String GUEST_MEMORY = "512M";
    private static final Pattern APP_ROW = Pattern.compile("(?m)^\\s+app\\s+([0-9.]+) ms");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailable(BenchContext ctx) {
        if (!Files.isExecutable(ctx.launcher())) return ctx.launcher() + " is missing";
        return null;
    }

    @Override
    public String timingSource() {
        return "`uniwasm run --timings`, row \"app\": guest `_start` to exit, host clock (boot and QEMU excluded)";
    }

    @Override
    public int runs(BenchContext ctx) {
        return Runner.runsInVm(ctx);
    }

    @Override
    public boolean needsWarmUp() {
        return true;
    }

    @Override
    public RunResult run(BenchContext ctx, Workload w, long timeoutSeconds) {
        List<String> cmd = new ArrayList<>(List.of("run", "--timings", "-m", GUEST_MEMORY));
        cmd.addAll(Runner.dirFlag(w));
        cmd.add(w.wasm().toString());
        cmd.add("--");
        cmd.addAll(w.args(ctx.quick(), true));
        CommandRunner.Outcome o = Launcher.run(ctx, List.of(), cmd, java.util.Map.of(), timeoutSeconds);
        if (!o.ok()) throw new BenchException("uniwasm: " + o.describeFailure() + Runner.signalNote(o));
        Matcher m = APP_ROW.matcher(o.err());
        if (!m.find())
            throw new BenchException("uniwasm: no \"app\" row in the --timings output of " + String.join(" ", cmd)
                    + ":\n" + o.err().strip());
        return new RunResult(o.out(), Double.parseDouble(m.group(1)) / 1e3, o.wallNanos() / 1e9, Double.NaN);
    }
}
