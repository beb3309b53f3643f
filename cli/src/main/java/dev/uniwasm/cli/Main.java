package dev.uniwasm.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code uniwasm} command: build, run, image, inspect, wast. */
@Command(
        name = "uniwasm",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Runs WebAssembly (WASI) applications as unikernels on KVM.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:success (run: the application's own status, see README.md)",
            "2:bad command line, missing or malformed input file",
            "1:uniwasm itself failed (tool or QEMU failure)"
        })
public final class Main implements Runnable {
    /** Bad command line, missing file, malformed or unsupported module. */
    public static final int USAGE = 2;
    /** uniwasm itself failed: a tool, the kernel build, QEMU. */
    public static final int FAILURE = 1;

    /**
     * The subcommands by name. Only the one named on the command line is given to picocli: building
     * the model of every command by reflection was a fifth of a cached {@code run}'s start-up. Help
     * and errors (no or an unknown command) get them all.
     */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        for (Class<?> c : List.of(
                BuildCommand.class,
                RunCommand.class,
                ImageCommand.class,
                InspectCommand.class,
                WastCommand.class,
                BenchCommand.class)) {
            m.put(c.getAnnotation(Command.class).name(), c);
        }
        return Collections.unmodifiableMap(m);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing command (build, run, image, inspect or wast)");
    }

    public static void main(String[] args) {
        long entered = System.nanoTime();
        // The app's stdout and stderr pass through unbuffered byte for byte; System.out would
        // buffer and re-encode.
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        String[] exact;
        try {
            exact = HostText.arguments(args);
        } catch (UsageException e) {
            stderr.println("uniwasm: " + e.getMessage());
            System.exit(USAGE);
            return;
        }
        // the streams are this process's fds 0-2, which a process-isolated app inherits as they are
        Session session = new Session(
                new FileInputStream(FileDescriptor.in),
                stdout,
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                stderr,
                JvmStart.sinceLaunchNanos(entered),
                true);
        boolean run = exact.length > 0 && exact[0].equals("run");
        if (run) SignalExit.install(session.stop);
        int status = run(exact, session);
        if (run && SignalExit.received() != null) SignalExit.dieOf(SignalExit.received());
        if (session.outputClosed) SignalExit.dieOf(new sun.misc.Signal("PIPE"));
        System.exit(status);
    }

    /**
     * Runs one command line with the given streams and returns the exit status. {@code jvmStartNanos}
     * is how long the JVM took to reach main (for --timings), or -1 when unknown.
     */
    public static int run(String[] args, InputStream in, OutputStream out, PrintStream err, long jvmStartNanos) {
        return run(args, new Session(in, out, new PrintStream(out, true, StandardCharsets.UTF_8), err, jvmStartNanos));
    }

    static int run(String[] args, Session session) {
        PrintStream outText = session.outText;
        PrintStream err = session.err;
        SessionFactory factory = new SessionFactory(session);
        CommandLine cli = new CommandLine(new Main(), factory);
        Class<?> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        for (Class<?> c : named != null ? List.<Class<?>>of(named) : SUBCOMMANDS.values()) {
            cli.addSubcommand(new CommandLine(c, factory));
        }
        cli.setOut(new java.io.PrintWriter(outText, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine failed = e.getCommandLine();
            err.println("uniwasm: " + e.getMessage() + " (see '"
                    + failed.getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, failed, parsed) -> {
            if (e instanceof UsageException u) {
                err.println("uniwasm: " + u.getMessage());
                return USAGE;
            }
            err.println("uniwasm: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (session.verbose) e.printStackTrace(err);
            return FAILURE;
        });
        return cli.execute(args);
    }
}
