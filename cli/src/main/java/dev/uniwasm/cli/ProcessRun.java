package dev.uniwasm.cli;

import dev.uniwasm.image.BootConfig;
import dev.uniwasm.image.ElfSymbols;
import dev.uniwasm.image.ImageException;
import dev.uniwasm.image.NetworkConfig;
import dev.uniwasm.image.RunFile;
import dev.uniwasm.monitor.ControlChannel;
import dev.uniwasm.monitor.Machine;
import dev.uniwasm.monitor.Monitor;
import dev.uniwasm.monitor.TempFolders;
import dev.uniwasm.monitor.VmConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code uniwasm run --isolation process}: the app as a Linux process (kernel/plat/x86_64-linux)
 * behind its seccomp filter instead of a VM. The process inherits the CLI's stdin, stdout and
 * stderr as they are; its run-time boot configuration, memory limit and expected parent reach it in
 * the run file (dev.uniwasm.image.RunFile), which it removes once read and to which it appends its
 * control lines. Exit statuses are the VM's: the app's own, 128 + trap code, 250 for a panic, 70
 * when the process ended without reporting one (killed by a signal, by the sandbox among them).
 */
final class ProcessRun {
    /** SIGSYS: what seccomp's SECCOMP_RET_KILL_PROCESS kills with. */
    private static final int SIGSYS = 31;
    /** Java reports a process killed by signal N as exit value 128 + N. */
    private static final int SIGNALLED = 128;

    private static final String ENTRY_SYMBOL = "process_main";

    private ProcessRun() {}

    /** The run command's flags as they apply to a process; refuses those that apply to VMs only. */
    static int run(RunCommand cmd, Session session) {
        NetworkConfig network = cmd.network.process();
        if (cmd.controlSocket != null)
            throw new UsageException("--control-socket is not implemented yet for --isolation process");
        if (cmd.machine != Machine.MICROVM) throw new UsageException("--machine applies to --isolation vm only");
        if (!cmd.accel.equals("auto")) throw new UsageException("--accel applies to --isolation vm only");
        if (cmd.timings) throw new UsageException("--timings is not implemented yet for --isolation process");
        Path executable;
        BootConfig config;
        if (InputFile.kind(cmd.app) == InputFile.Kind.WASM) {
            ImageCache.Lookup lookup = ImageCache.inUserCache()
                    .imageFor(cmd.app, InputFile.read(cmd.app), cmd.compileFlags.options(), Isolation.PROCESS);
            executable = lookup.image();
            if (cmd.verbose)
                session.err.println(
                        "uniwasm: executable " + executable + " (" + (lookup.hit() ? "cached" : "built") + ")");
            config = BootConfigs.of(cmd.app, cmd.args, cmd.env, cmd.verbose, cmd.mounts);
            if (network != null) config = config.withNetwork(network);
        } else {
            checkIsProcessExecutable(cmd.app);
            executable = cmd.app;
            boolean override =
                    !cmd.args.isEmpty() || !cmd.env.isEmpty() || cmd.verbose || cmd.mounts.any() || network != null;
            config = override
                    ? BootConfigs.forImage(
                            cmd.app, BakedConfig.read(cmd.app), cmd.args, cmd.env, cmd.verbose, cmd.mounts)
                    : null;
            if (network != null) config = config.withNetwork(network);
        }
        long memoryMib = cmd.memoryMib == null ? VmConfig.DEFAULT_MEMORY_MIB : cmd.memoryMib;
        if (network != null) PublishedPorts.checkListeners(network.listeners());
        return execute(executable, config, memoryMib, cmd.verbose, session, 0);
    }

    /** An ELF from 'uniwasm build' for the wrong platform is a usage error that says what to do. */
    static void checkIsProcessExecutable(Path file) {
        boolean process;
        try {
            process = isProcessExecutable(file);
        } catch (ImageException e) {
            throw new UsageException(
                    file + ": not an executable from 'uniwasm build --isolation process': " + e.getMessage());
        }
        if (!process) {
            throw new UsageException(
                    file + ": a VM image, not a process executable: run it with --isolation vm, or build "
                            + "one with 'uniwasm build --isolation process'");
        }
    }

    /** Whether an ELF file is an executable of the process platform (its entry symbol); throws for a file that is no ELF. */
    static boolean isProcessExecutable(Path file) {
        return ElfSymbols.read(file).stream().anyMatch(s -> s.name().equals(ENTRY_SYMBOL) && s.isDefined());
    }

    /**
     * Runs the executable and returns its exit status. {@code config} null: the baked configuration.
     * {@code testCalls} are the sandbox tests' hooks (RunFile.TEST_*): only tests set them.
     */
    static int execute(
            Path executable, BootConfig config, long memoryMib, boolean verbose, Session session, int testCalls) {
        Path dir = null;
        session.stop.arm();
        try {
            TempFolders.sweepStale(TempFolders.root(), Instant.now());
            dir = TempFolders.create();
            Path runFile = dir.resolve("run");
            byte[] run =
                    new RunFile(config, memoryMib << 20, ProcessHandle.current().pid(), testCalls).encode();
            Files.write(runFile, run);
            // read through a descriptor of our own: the process unlinks the name once it has read it
            try (FileChannel control = FileChannel.open(runFile, StandardOpenOption.READ)) {
                ProcessBuilder pb =
                        new ProcessBuilder(executable.toAbsolutePath().toString());
                pb.environment().clear();
                pb.environment().put(RunFile.VARIABLE, runFile.toString());
                // the sandboxed app has nothing to clean up: killed at once when uniwasm exits first
                int exitValue = ChildProcess.run(pb, session, Duration.ZERO, session.stop::attach);
                // stopped by a signal to uniwasm (SignalExit), which ends uniwasm itself; nothing to report
                if (session.stop.pulled()) return SignalExit.stoppedStatus();
                return status(control, run.length, exitValue, verbose, session);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + executable + ": " + e.getMessage(), e);
        } finally {
            if (dir != null) TempFolders.deleteTree(dir);
            session.stop.disarm();
        }
    }

    /** The status from the process's "exit N" line, as the VM's; without one, why it has none. */
    private static int status(FileChannel control, long from, int exitValue, boolean verbose, Session session)
            throws IOException {
        ByteBuffer tail = ByteBuffer.allocate((int) Math.max(0, control.size() - from));
        control.read(tail, from);
        ControlChannel channel = new ControlChannel(verbose ? session.err : null);
        channel.readFrom(new ByteArrayInputStream(tail.array()));
        if (channel.exitStatus().isPresent()) return channel.exitStatus().getAsInt();
        if (exitValue == SIGNALLED + SIGSYS) {
            session.err.println(
                    "uniwasm: the process was killed by its sandbox (SIGSYS): it made a system call outside "
                            + "the seccomp allowlist");
            return Monitor.NO_EXIT_STATUS;
        }
        if (exitValue > SIGNALLED) {
            session.err.println("uniwasm: the process ended without reporting an exit status (killed by signal "
                    + (exitValue - SIGNALLED) + ")");
            return Monitor.NO_EXIT_STATUS;
        }
        // a start-up failure, which printed its own "uniwasm: ..." line
        return exitValue;
    }
}
