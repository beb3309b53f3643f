package dev.uniwasm.cli;

import dev.uniwasm.image.BootConfig;
import dev.uniwasm.image.ImageException;
import dev.uniwasm.monitor.Accelerator;
import dev.uniwasm.monitor.BootTimings;
import dev.uniwasm.monitor.KvmProbe;
import dev.uniwasm.monitor.Machine;
import dev.uniwasm.monitor.MemoryNeed;
import dev.uniwasm.monitor.Monitor;
import dev.uniwasm.monitor.MonitorException;
import dev.uniwasm.monitor.VmConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {
            "Boots an application as a unikernel under QEMU and exits with its status.",
            "A .wasm is compiled into a cached image first (~/.cache/uniwasm/images); an image built by "
                    + "'uniwasm build' runs with the arguments, environment and mounts baked into it; run-time flags change "
                    + "only what they name: arguments after -- replace the baked arguments, --env variables replace the baked "
                    + "environment as a whole (the app sees exactly the variables given, as under wasmtime), and --dir and "
                    + "--tmpfs mounts come after the baked ones.",
            "The app gets all of WASI preview1 except proc_raise, which is not implemented and returns ENOSYS."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0-255:the application's status (proc_exit, 0 on return from _start)",
            "129-139:a Wasm trap (128 + trap code), 'trap: ...' on stderr",
            "250:kernel panic",
            "70:the VM ended without reporting a status",
            "2:bad command line or input file, --memory below what the image needs",
            "1:uniwasm failed to build or start the VM (host port taken, host memory short)",
            "signal:SIGINT, SIGTERM, SIGHUP stop the VM, remove its files, then uniwasm dies of that "
                    + "signal (no trap: line; a shell shows 128+N); a closed stdout: SIGPIPE, quietly"
        })
final class RunCommand implements Callable<Integer>, SessionFactory.SessionAware {
    @Parameters(index = "0", paramLabel = "APP", description = "A .wasm module or an image from 'uniwasm build'.")
    Path app;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the application (after --).")
    List<String> args = new ArrayList<>();

    @Option(
            names = "--env",
            paramLabel = "NAME[=VALUE]",
            converter = EnvironmentVariable.Converter.class,
            description = "Environment variable for the application (repeatable); without =VALUE the host's value.")
    List<EnvironmentVariable> env = new ArrayList<>();

    @Option(
            names = {"-m", "--memory"},
            paramLabel = "SIZE",
            converter = MemorySize.class,
            description =
                    "Guest memory, e.g. 64M or 1G (default: " + VmConfig.DEFAULT_MEMORY_MIB + "M; " + MemorySize.RANGE
                            + "); checked against what the image, its boot configuration (packed --dir images) and the kernel need.")
    Long memoryMib;

    @Option(
            names = "--machine",
            paramLabel = "TYPE",
            converter = MachineConverter.class,
            defaultValue = "microvm",
            description = "QEMU machine: microvm (default) or q35.")
    Machine machine;

    @Option(
            names = "--accel",
            paramLabel = "KIND",
            defaultValue = "auto",
            converter = AccelConverter.class,
            description = "auto (KVM when /dev/kvm can be opened, else TCG), kvm or tcg.")
    String accel;

    @Option(
            names = {"-v", "--verbose"},
            description = "Show the QEMU command line, QEMU's messages and the kernel's log.")
    boolean verbose;

    @Option(names = "--timings", description = "Print where the time went on stderr after the run.")
    boolean timings;

    @Mixin
    MountFlags mounts;

    @Mixin
    NetworkFlags network = new NetworkFlags();

    @Option(
            names = "--control-socket",
            paramLabel = "PATH",
            description =
                    "While the VM runs, answer requests on the Unix socket PATH (removed at exit): the line 'stats' "
                            + "gets the kernel's 'stats frames=N heap=N sockets=N' (frames allocated since boot, kernel heap bytes "
                            + "in use, open TCP sockets).")
    Path controlSocket;

    @Mixin
    CompileFlags compileFlags;

    @Option(
            names = "--isolation",
            paramLabel = "vm|process",
            converter = Isolation.Converter.class,
            defaultValue = "vm",
            description =
                    "vm (default): the app in a VM of its own under QEMU; process: the app as a Linux process behind a "
                            + "seccomp filter, at native speed without KVM (README.md, 'Ways of running', says what each protects against).")
    Isolation isolation;

    private Session session;

    @Override
    public void session(Session s) {
        this.session = s;
    }

    static final class MachineConverter implements CommandLine.ITypeConverter<Machine> {
        @Override
        public Machine convert(String name) {
            Machine m = Machine.byName(name);
            if (m == null)
                throw new CommandLine.TypeConversionException("'" + name + "' is not a machine type (microvm, q35)");
            return m;
        }
    }

    static final class AccelConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String name) {
            if (!name.equals("auto") && !name.equals("kvm") && !name.equals("tcg")) {
                throw new CommandLine.TypeConversionException("'" + name + "' is not one of auto, kvm, tcg");
            }
            return name;
        }
    }

    @Override
    public Integer call() {
        session.verbose = verbose;
        mounts.checkDistinctGuestPaths();
        if (isolation == Isolation.PROCESS) return ProcessRun.run(this, session);
        // the network flags are checked (TAP device present) before any build work
        var guestNetwork = network.guest();
        var hostNetwork = network.host();
        long buildStart = System.nanoTime();
        Path image;
        String buildNote;
        BootConfig runtimeConfig;
        if (InputFile.kind(app) == InputFile.Kind.WASM) {
            byte[] wasm = InputFile.read(app);
            // the cached image bakes nothing in, so a .wasm always gets its arguments at run time; the
            // --dir folders are walked (not read) before a compile that a bad name there would waste
            runtimeConfig = BootConfigs.of(app, args, env, verbose, mounts);
            ImageCache.Lookup lookup = ImageCache.inUserCache().imageFor(app, wasm, compileFlags.options());
            image = lookup.image();
            buildNote = lookup.hit() ? "cached" : "built";
        } else {
            checkIsVmImage(app);
            image = app;
            buildNote = "prebuilt";
            // with nothing to change, the image's own baked configuration applies as it is; otherwise the
            // run-time config, which the kernel takes instead of the baked one, carries over what it does not change
            boolean override = !args.isEmpty() || !env.isEmpty() || verbose || mounts.any() || guestNetwork != null;
            runtimeConfig =
                    override ? BootConfigs.forImage(app, BakedConfig.read(app), args, env, verbose, mounts) : null;
        }
        // the network travels in the run-time config
        if (guestNetwork != null) runtimeConfig = runtimeConfig.withNetwork(guestNetwork);
        long buildNanos = System.nanoTime() - buildStart;
        if (verbose) session.err.println("uniwasm: image " + image + " (" + buildNote + ")");
        long memory = memoryMib == null ? VmConfig.DEFAULT_MEMORY_MIB : memoryMib;
        PublishedPorts.check(hostNetwork.published());
        try {
            // the monitor checks this too; here it comes before the accelerator notice, as the only line
            MemoryNeed.check(
                    image, runtimeConfig == null ? 0 : runtimeConfig.size(), memory, machine, hostNetwork.enabled());
        } catch (MonitorException e) {
            throw e.kind() == MonitorException.Kind.OTHER ? new UsageException(e.getMessage()) : forUser(e, memory);
        }
        // after the input is known good, so that errors about it stay the only line on stderr
        Accelerator accelerator = accelerator();

        VmConfig vm = new VmConfig(
                image,
                runtimeConfig == null ? null : runtimeConfig::writeTo,
                memory,
                machine,
                accelerator,
                verbose,
                hostNetwork);
        long vmStart = System.nanoTime();
        Monitor.Result result;
        try {
            result = Monitor.run(vm, session.in, session.out, session.err, controlSocket, session.stop);
        } catch (MonitorException e) {
            throw forUser(e, memory);
        }
        long end = System.nanoTime();
        switch (result.ending()) {
            case OUTPUT_CLOSED -> {
                session.outputClosed = true;
                return SignalExit.status("PIPE");
            }
            case STOPPED -> {
                return SignalExit.stoppedStatus();
            }
            default -> {}
        }
        if (timings) {
            long cliSetup = vmStart - session.mainNanos - buildNanos;
            long total = session.jvmStartNanos < 0 ? -1 : session.jvmStartNanos + end - session.mainNanos;
            printTimings(buildNanos, buildNote, cliSetup, total, accelerator, result.timings());
        }
        return result.exitStatus();
    }

    /** The monitor's start failures that a flag fixes, said with the flag: 2 for a value no host can run, 1 for this host's. */
    private RuntimeException forUser(MonitorException e, long mib) {
        String memory = "--memory " + mib + "M" + (memoryMib == null ? " (the default)" : "");
        return switch (e.kind()) {
            case MEMORY_TOO_SMALL ->
                new UsageException(
                        memory + " is too small: " + e.getMessage() + "; give --memory " + e.neededMib() + "M or more");
            case BOOT_CONFIG_TOO_LARGE ->
                new UsageException(e.getMessage() + "; pack smaller --dir folders, or make them "
                        + "part of the image with 'uniwasm build --dir'");
            case MEMORY_UNAVAILABLE ->
                new MonitorException(memory + ": " + e.getMessage() + "; give a smaller --memory");
            case PORT_UNAVAILABLE -> new MonitorException("--publish: " + e.getMessage());
            case OTHER -> e;
        };
    }

    /** A process executable given to the VM way is a usage error that says what to do, not QEMU's failure to boot it. */
    private static void checkIsVmImage(Path file) {
        boolean process;
        try {
            process = ProcessRun.isProcessExecutable(file);
        } catch (ImageException notElf) {
            return; // the monitor says what is wrong with a file that is no image
        }
        if (process) {
            throw new UsageException(
                    file + ": a process executable from 'uniwasm build --isolation process', not a VM image: "
                            + "run it with --isolation process (or by itself), or build a VM image with 'uniwasm build'");
        }
    }

    private Accelerator accelerator() {
        return switch (accel) {
            case "auto" -> {
                KvmProbe.Verdict kvm = KvmProbe.probe();
                if (kvm.usable()) yield Accelerator.KVM;
                session.err.println("uniwasm: KVM not available, using TCG (slower; --isolation process runs the app "
                        + "natively as a sandboxed process)");
                if (verbose) session.err.println("uniwasm: " + kvm.reason());
                yield Accelerator.TCG;
            }
            case "kvm" -> {
                if (!KvmProbe.deviceOpens())
                    throw new UsageException("--accel kvm: cannot open " + KvmProbe.KVM_DEVICE + " read-write");
                yield Accelerator.KVM;
            }
            default -> Accelerator.TCG;
        };
    }

    private void printTimings(
            long buildNanos, String buildNote, long cliSetup, long total, Accelerator accelerator, BootTimings t) {
        var err = session.err;
        err.println("uniwasm timings (" + machine.qemuName + ", "
                + accelerator.name().toLowerCase() + "):");
        row("JVM start", session.jvmStartNanos, "launch to main");
        row("CLI set-up", cliSetup, "main to starting QEMU, without the image build");
        row("image build", buildNanos, buildNote);
        row("QEMU start", t.qemuStart(), "spawn to the kernel's boot line");
        row(
                "guest boot",
                t.guestBoot(),
                t.guestClockIsTsc() ? "boot line to _start, guest TSC" : "boot line to _start, host clock");
        row("app", t.app(), "_start to exit");
        row("VM shutdown", t.shutdown(), "exit line to QEMU gone");
        row("total", total, "launch to QEMU gone; the rest is JVM exit");
    }

    private void row(String what, long nanos, String note) {
        session.err.printf("  %-12s %12s  (%s)%n", what, BootTimings.millis(nanos), note);
    }
}
