package dev.uniwasm.bench.compute;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.CommandRunner;
import java.util.ArrayList;
import java.util.List;

/** The reference: the program compiled natively by the same clang, run as a host process. */
final class NativeRunner implements Runner {
    @Override
    public String name() {
        return "native";
    }

    @Override
    public String unavailable(BenchContext ctx) {
        return null;
    }

    @Override
    public String timingSource() {
        return "wall time of the process (its start-up is about a millisecond)";
    }

    @Override
    public RunResult run(BenchContext ctx, Workload w, long timeoutSeconds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(w.nativeExecutable().toString());
        cmd.addAll(w.args(ctx.quick(), false));
        CommandRunner.Outcome o = ctx.commands().run(cmd, null, timeoutSeconds);
        if (!o.ok()) throw new BenchException("native: " + o.describeFailure() + Runner.signalNote(o));
        return new RunResult(o.out(), o.wallNanos() / 1e9, o.wallNanos() / 1e9, Double.NaN);
    }
}
