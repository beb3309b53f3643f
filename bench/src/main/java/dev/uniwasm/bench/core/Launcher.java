package dev.uniwasm.bench.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Timed runs of the {@code ./uniwasm} launcher. The launcher rebuilds the project first when a source
 * changed since its last build; such a run measures Maven, not uniwasm (and a rebuilt compiler also
 * invalidates the object cache). So every timed run is preceded by an untimed {@code uniwasm --version}
 * that lets a pending rebuild happen, and a run that rebuilt anyway (its stderr says so) is repeated.
 */
public final class Launcher {
    /** What the launcher prints on stderr when it rebuilds. */
    static final String REBUILD_NOTICE = "uniwasm: building (first use or sources changed)";

    private static final int ATTEMPTS = 3;

    private Launcher() {}

    /** The launcher with these arguments, after any pending rebuild; throws when every attempt rebuilt. */
    public static CommandRunner.Outcome run(
            BenchContext ctx, List<String> prefix, List<String> args, Map<String, String> env, long timeoutSeconds) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(ctx.launcher().toString());
        cmd.addAll(args);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            CommandRunner.Outcome prime =
                    ctx.commands().run(List.of(ctx.launcher().toString(), "--version"), null, 1800);
            if (!prime.ok()) throw new BenchException("the uniwasm launcher does not work: " + prime.describeFailure());
            CommandRunner.Outcome o = ctx.commands().run(cmd, null, env, timeoutSeconds);
            if (!o.err().contains(REBUILD_NOTICE)) return o;
            ctx.say("the launcher rebuilt the project during a timed run (sources changed); repeating it");
        }
        throw new BenchException(String.join(" ", cmd) + ": the project was rebuilt during each of " + ATTEMPTS
                + " attempts (someone is changing the sources); no clean measurement");
    }
}
