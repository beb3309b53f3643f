package dev.uniwasm.bench.compute;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.CommandRunner;
import dev.uniwasm.monitor.KvmProbe;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A way of running a compute workload: natively, as a uniwasm unikernel, or under a Wasm runtime. */
public interface Runner {
    String name();

    /** Null when this runner can run here; otherwise why it cannot (the report prints it). */
    String unavailable(BenchContext ctx);

    /** What the app time of this runner covers, for the report. */
    String timingSource();

    /**
     * Runs the workload once; throws {@link BenchException} when the run fails (status, time-out,
     * missing timing line).
     */
    RunResult run(BenchContext ctx, Workload w, long timeoutSeconds);

    /** How many timed runs of each workload this runner gets. */
    default int runs(BenchContext ctx) {
        return ctx.runs(5, 3);
    }

    /**
     * Runs for a runner whose program runs in a VM: under TCG a run costs several times native plus a
     * slow boot, so three (quick: two) keep a full run under the hour; under KVM the usual number.
     */
    static int runsInVm(BenchContext ctx) {
        return KvmProbe.kvmUsable() ? ctx.runs(5, 3) : ctx.runs(3, 2);
    }

    /** Whether the first run prepares a cache (uniwasm's image) and so is run once before timing. */
    default boolean needsWarmUp() {
        return false;
    }

    Pattern PEER_TIMING = Pattern.compile("(?m)^uniwasm-bench: prepare_ns=(\\d+) run_ns=(\\d+)\\s*$");

    /** The result of a peer launcher (JVM peers, node), which prints {@link #PEER_TIMING} last on stderr. */
    static RunResult fromPeerTimingLine(String runner, CommandRunner.Outcome o) {
        if (!o.ok()) throw new BenchException(runner + ": " + o.describeFailure() + signalNote(o) + stdoutTail(o));
        Matcher m = PEER_TIMING.matcher(o.err());
        if (!m.find())
            throw new BenchException(runner + ": no timing line on stderr of " + String.join(" ", o.command()) + ":\n"
                    + o.err().strip());
        return new RunResult(
                o.out(), Long.parseLong(m.group(2)) / 1e9, o.wallNanos() / 1e9, Long.parseLong(m.group(1)) / 1e9);
    }

    /** For a process killed by a signal (status 128+N, as Java reports it), which signal. */
    static String signalNote(CommandRunner.Outcome o) {
        if (o.timedOut() || o.status() <= 128 || o.status() >= 128 + 65) return "";
        int signal = o.status() - 128;
        String name = switch (signal) {
            case 4 -> "SIGILL";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> "signal " + signal;
        };
        return "\n(status " + o.status() + ": the process was killed by " + name
                + (signal == 9 ? "" : ", a crash of the runtime itself") + ")";
    }

    /** The end of a failed run's standard output: whether the program had finished (printed its result) before it failed. */
    static String stdoutTail(CommandRunner.Outcome o) {
        String out = o.out().strip();
        if (out.isEmpty()) return "\n(nothing on stdout)";
        if (out.length() > 400) out = "..." + out.substring(out.length() - 400);
        return "\nstdout ends with:\n" + out;
    }

    /** A command line's arguments for a Wasm runner: {@code --dir HOST::/bench} when the workload has data. */
    static List<String> dirFlag(Workload w) {
        return w.dataDir() == null ? List.of() : List.of("--dir", w.dataDir() + "::" + Workload.GUEST_DIR);
    }
}
