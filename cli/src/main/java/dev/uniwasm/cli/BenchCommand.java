package dev.uniwasm.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code uniwasm bench}: the benchmark harness (bench/) in a JVM of its own, started with the
 * bench module's class path (its jar and bench/target/lib) found through uniwasm.home, so that the
 * product's class path carries neither the harness nor its chart library and peers. Every argument
 * goes to the harness's {@code dev.uniwasm.bench.Main} as typed; its help, errors and exit status
 * are the command's.
 */
@Command(
        name = "bench",
        description =
                "Runs the benchmark suites against native code and other Wasm runtimes, checks every output, and writes a "
                        + "report into bench/results/<date>/ (see 'uniwasm bench --help').")
final class BenchCommand implements Callable<Integer>, SessionFactory.SessionAware {
    static final String HARNESS_MAIN = "dev.uniwasm.bench.Main";
    /** Time the harness gets to stop its VMs and servers (its shutdown hooks) when uniwasm is ended. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    /** Takes every argument, so that none is refused here; the harness gets them from the parse's
     * original arguments, which keep a "--" that picocli's own parse drops. */
    @Unmatched
    List<String> unmatched = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private Session session;

    @Override
    public void session(Session s) {
        this.session = s;
    }

    @Override
    public Integer call() {
        String homeProperty = System.getProperty("uniwasm.home");
        if (homeProperty == null)
            throw new UsageException(
                    "bench needs the repository (run it through the ./uniwasm launcher, which sets uniwasm.home)");
        Path home = Path.of(homeProperty).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bench").resolve("pom.xml")))
            throw new UsageException("bench: " + home + " is not a uniwasm repository (no bench/pom.xml)");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Duniwasm.home=" + home);
        cmd.add("-cp");
        cmd.add(classPath(home));
        cmd.add(HARNESS_MAIN);
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        cmd.addAll(original.subList(original.indexOf(spec.name()) + 1, original.size()));
        try {
            return ChildProcess.run(new ProcessBuilder(cmd), session, STOP_GRACE, p -> {});
        } catch (IOException e) {
            throw new UncheckedIOException("bench: cannot start the harness's JVM: " + e.getMessage(), e);
        }
    }

    /** The harness's jar (the same version as this CLI) and its dependencies, as Maven's package phase leaves them. */
    static String classPath(Path home) {
        Path target = home.resolve("bench").resolve("target");
        Path jar = target.resolve("uniwasm-bench-" + Version.version() + ".jar");
        Path lib = target.resolve("lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new IllegalStateException("bench: the harness is not built (no " + jar + " or " + lib
                    + "; build it with " + "'mvn install -DskipTests' in " + home + ")");
        }
        return jar + ":" + lib + "/*";
    }
}
