package dev.uniwasm.bench;

import dev.uniwasm.bench.containers.ContainersSuite;
import dev.uniwasm.bench.containers.RowSelection;
import dev.uniwasm.bench.core.Suite;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The harness's command line, {@code uniwasm bench}. The CLI's {@code bench} command runs this class
 * in a JVM of its own with this module's class path, so that the product's class path carries
 * neither the harness nor its chart library. Exit status: 0 when every suite passed, 1
 * ({@link Bench#SUITE_FAILED}) when one did not or the harness failed, 2 for a bad command line.
 */
@Command(
        name = "uniwasm bench",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Runs benchmark suites (startup, compute, compile, http, density, containers; all when none is named) against native code and "
                    + "other Wasm runtimes, checks every output, and writes report.md, results.csv and PNG charts into "
                    + "bench/results/<date>/.",
            "Exit status 0 when every suite passed its checks, 1 when a run failed or an output was wrong."
        })
public final class Main implements Callable<Integer> {
    /** Bad command line: an unknown suite or option, no repository. */
    public static final int USAGE = 2;
    /** The system property naming the repository root; the CLI passes its own {@code uniwasm.home}. */
    public static final String HOME_PROPERTY = "uniwasm.home";

    @Parameters(
            arity = "0..*",
            paramLabel = "SUITE",
            description = "Suites to run: startup, compute, compile, http, density, containers (default: all).")
    List<String> suites = new ArrayList<>();

    @Option(
            names = "--quick",
            description = "Small inputs and few runs: a check that everything works, in a few minutes.")
    boolean quick;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Report folder (default: bench/results/<yyyy-mm-dd> in the repository).")
    Path out;

    @Option(
            names = "--rows",
            paramLabel = "APP/RUNTIME,...",
            description =
                    "containers suite only: the rows to run, each APP/RUNTIME with * for any (apps: idle, http, cpython; "
                            + "runtimes: uniwasm-process, uniwasm-vm, qemu-runc, crun, runc), e.g. idle/uniwasm-vm,http/* "
                            + "(default: all).")
    String rows;

    @Option(
            names = "--scales",
            paramLabel = "N,...",
            description =
                    "containers suite only: the numbers of containers per row, e.g. 10,100,400 (default: 10, 100, 400; "
                            + "with --quick 10).")
    String scales;

    private final String homeProperty;
    private final PrintStream err;

    private Main(String homeProperty, PrintStream err) {
        this.homeProperty = homeProperty;
        this.err = err;
    }

    public static void main(String[] args) {
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getProperty(HOME_PROPERTY), stdout, stderr));
    }

    /** Runs one command line; {@code home} is the repository root, or null when none was given. */
    public static int run(String[] args, String home, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new Main(home, err));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("uniwasm: " + e.getMessage() + " (see 'uniwasm bench --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, failed, parsed) -> {
            if (e instanceof UsageError u) {
                err.println("uniwasm: " + u.getMessage());
                return USAGE;
            }
            // a defect of the harness outside any suite (a suite's own failure ends in the report)
            err.println("uniwasm: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return Bench.SUITE_FAILED;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        if (homeProperty == null)
            throw new UsageError(
                    "bench needs the repository (run it as ./uniwasm bench, which sets " + HOME_PROPERTY + ")");
        Path home = Path.of(homeProperty).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bench").resolve("pom.xml")))
            throw new UsageError("bench: " + home + " is not a uniwasm repository (no bench/pom.xml)");
        List<Suite> chosen;
        try {
            chosen = Bench.select(suites);
        } catch (IllegalArgumentException e) {
            throw new UsageError("bench: " + e.getMessage());
        }
        if (rows != null || scales != null) {
            String flag = rows != null ? "--rows" : "--scales";
            if (!suites.contains("containers"))
                throw new UsageError("bench: " + flag + " applies to the containers suite only: name it (uniwasm bench "
                        + "containers " + flag + " ...)");
            RowSelection selection;
            try {
                selection = RowSelection.parse(rows, scales);
            } catch (IllegalArgumentException e) {
                throw new UsageError("bench: " + e.getMessage());
            }
            chosen = chosen.stream()
                    .map(s -> s instanceof ContainersSuite ? new ContainersSuite(selection) : s)
                    .toList();
        }
        Path folder = out != null ? out.toAbsolutePath() : Bench.defaultOut(home);
        List<String> invocation = new ArrayList<>(List.of("uniwasm", "bench"));
        invocation.addAll(suites);
        if (quick) invocation.add("--quick");
        if (rows != null) invocation.addAll(List.of("--rows", rows));
        if (scales != null) invocation.addAll(List.of("--scales", scales));
        if (out != null) invocation.addAll(List.of("--out", out.toString()));
        return Bench.run(home, chosen, quick, folder, invocation, err);
    }

    /** What the user typed is wrong: one line, exit status 2. */
    private static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }

    /** --version: the build's version from this jar's manifest (Maven writes it) and the JVM's. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {
                "uniwasm " + (v != null ? v : "(version unknown: not run from its jar)") + " (Java " + Runtime.version()
                        + ")"
            };
        }
    }
}
