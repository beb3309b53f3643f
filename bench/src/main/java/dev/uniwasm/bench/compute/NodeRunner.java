package dev.uniwasm.bench.compute;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.CommandRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Node.js (V8) with {@code node:wasi}, through {@code node-wasi-runner.mjs}. */
final class NodeRunner implements Runner {
    private Path script;

    @Override
    public String name() {
        return "node";
    }

    @Override
    public String unavailable(BenchContext ctx) {
        CommandRunner.Outcome o = new CommandRunner().run(List.of("node", "--version"), null, 30);
        return o.ok() ? null : "node is not installed (" + o.err().strip() + ")";
    }

    @Override
    public String timingSource() {
        return "`wasi.start()` timed inside node (compile and instantiate reported apart)";
    }

    @Override
    public RunResult run(BenchContext ctx, Workload w, long timeoutSeconds) {
        // --single-threaded-gc: with V8's concurrent GC threads, node 20 (V8 11.3) crashed here with SIGSEGV on the
        // main
        // thread (in a keyed-load stub, after wasi.start returned) in about 3 of 10 full sha256 runs; with the
        // collector
        // on the main thread, 0 of 50. The program's data lives in Wasm linear memory, which V8 does not collect,
        // so this does not change what is measured.
        List<String> cmd = new ArrayList<>(List.of(
                "node", "--no-warnings", "--single-threaded-gc", script(ctx).toString()));
        cmd.addAll(Runner.dirFlag(w));
        cmd.add(w.wasm().toString());
        cmd.addAll(w.args(ctx.quick(), true));
        return Runner.fromPeerTimingLine(name(), ctx.commands().run(cmd, null, timeoutSeconds));
    }

    private synchronized Path script(BenchContext ctx) {
        if (script != null) return script;
        try (InputStream in = NodeRunner.class.getResourceAsStream("node-wasi-runner.mjs")) {
            if (in == null) throw new BenchException("node-wasi-runner.mjs is missing from the bench jar");
            Path p = ctx.work().resolve("node-wasi-runner.mjs");
            Files.createDirectories(ctx.work());
            Files.write(p, in.readAllBytes());
            script = p;
            return p;
        } catch (IOException e) {
            throw new BenchException("cannot write the node runner into " + ctx.work() + ": " + e.getMessage(), e);
        }
    }
}
