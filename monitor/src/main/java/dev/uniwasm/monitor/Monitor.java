package dev.uniwasm.monitor;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one uniwasm image under QEMU: wires the serial ports to the caller's streams, follows the
 * control channel, and returns the guest's exit status.
 */
public final class Monitor {
    /** Exit status when the VM ends without reporting one (EX_SOFTWARE). */
    public static final int NO_EXIT_STATUS = 70;

    private static final int PUMP_BUFFER = 64 * 1024;

    /** How a run ended. */
    public enum Ending {
        /** The guest reported its exit status. */
        GUEST_EXIT,
        /** The VM ended without reporting one ({@link #NO_EXIT_STATUS}; the monitor said why on err). */
        NO_EXIT_STATUS,
        /** The caller's {@link StopSwitch} stopped it; nothing was said. */
        STOPPED,
        /** Writing the guest's output failed (a closed pipe), so the VM was stopped; nothing was said. */
        OUTPUT_CLOSED,
    }

    /** What a run ended with; {@code exitStatus} is {@link #NO_EXIT_STATUS} unless the guest reported one. */
    public record Result(int exitStatus, BootTimings timings, Ending ending) {}

    private Monitor() {}

    /**
     * Boots the VM and blocks until it is gone. The guest's stdout and stderr go to {@code out} and
     * {@code err} unbuffered and in order; {@code in} is forwarded to the guest's stdin (pass an empty
     * stream for none). Monitor notices (missing exit status, QEMU failures) go to {@code err}.
     */
    public static Result run(VmConfig vm, InputStream in, OutputStream out, PrintStream err) {
        return run(vm, in, out, err, null, new StopSwitch());
    }

    /**
     * As {@link #run(VmConfig, InputStream, OutputStream, PrintStream)}, and while the guest runs,
     * answers requests on the Unix socket {@code controlSocket} (null for none; see {@link
     * ControlSocket}), which is removed when the VM ends.
     */
    public static Result run(VmConfig vm, InputStream in, OutputStream out, PrintStream err, Path controlSocket) {
        return run(vm, in, out, err, controlSocket, new StopSwitch());
    }

    /**
     * As {@link #run(VmConfig, InputStream, OutputStream, PrintStream, Path)}, and {@code stop}
     * stops the VM when another thread pulls it (the run then ends {@link Ending#STOPPED}).
     *
     * <p>QEMU dies with the thread that started it: the monitor starts it from a platform thread of
     * its own that lives as long as QEMU (PR_SET_PDEATHSIG follows the forking thread, and the
     * carrier of a virtual thread, say, may end first), so a monitor killed outright (SIGKILL, the
     * OOM killer) takes its VM along. QEMU runs in a session of its own, so a terminal's Ctrl-C
     * reaches only the monitor's process, whose owner decides (through {@code stop}).
     */
    public static Result run(
            VmConfig vm, InputStream in, OutputStream out, PrintStream err, Path controlSocket, StopSwitch stop) {
        if (!Files.isReadable(vm.image())) throw new MonitorException("cannot read image " + vm.image());
        stop.arm();
        try {
            TempFolders.sweepStale(TempFolders.root(), Instant.now());
            Path dir;
            try {
                dir = TempFolders.create();
            } catch (IOException e) {
                throw new MonitorException(
                        "cannot create a temporary folder for the VM's sockets: " + e.getMessage(), e);
            }
            try {
                return runIn(dir, vm, in, out, err, controlSocket, stop);
            } catch (IOException e) {
                throw new MonitorException("VM I/O failed: " + e.getMessage(), e);
            } finally {
                TempFolders.deleteTree(dir);
            }
        } finally {
            stop.disarm();
        }
    }

    private static Result runIn(
            Path dir,
            VmConfig vm,
            InputStream in,
            OutputStream out,
            PrintStream err,
            Path controlSocket,
            StopSwitch stop)
            throws IOException {
        Path initrd = null;
        if (vm.runtimeBootConfig() != null) {
            initrd = dir.resolve("bootconfig");
            vm.runtimeBootConfig().writeTo(initrd);
        }
        MemoryNeed.check(vm, initrd == null ? 0 : Files.size(initrd));
        if (stop.pulled()) return new Result(NO_EXIT_STATUS, BootTimings.NONE, Ending.STOPPED);
        try (QemuSockets sockets = QemuSockets.listen(dir)) {
            List<String> cmd = QemuCommandLine.build(vm, sockets.serialPaths(), sockets.qmpPath(), initrd);
            if (vm.verbose()) err.println("uniwasm: " + String.join(" ", cmd));
            ControlChannel control = new ControlChannel(vm.verbose() ? err : null);

            long spawnNanos = System.nanoTime();
            Process qemu = startQemu(cmd);
            stop.attach(qemu);
            Thread killer = new Thread(qemu::destroyForcibly, "uniwasm-kill-qemu");
            Runtime.getRuntime().addShutdownHook(killer);
            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            Runnable stopVm = qemu::destroyForcibly;
            // Output that cannot be written (stdout is a closed pipe, say) would hold the guest on its
            // UART for ever; the VM stops, as a process writing to a closed pipe would.
            AtomicBoolean outputClosed = new AtomicBoolean();
            Runnable closed = () -> {
                outputClosed.set(true);
                stopVm.run();
            };
            Thread diagnosticsReader = pump("qemu-output", qemu.getInputStream(), diagnostics, stopVm, stopVm);
            // Once QEMU has loaded the image and the boot configuration nothing reads the folder again:
            // removing it then leaves nothing behind even if this process is killed outright.
            QmpWatcher qmp = new QmpWatcher(stopVm, () -> TempFolders.deleteTree(dir));
            ControlSocket controlServer = null;
            try {
                try {
                    sockets.awaitConnections(qemu);
                } catch (MonitorException e) {
                    qemu.destroyForcibly();
                    String qemuText = awaitText(qemu, diagnosticsReader, diagnostics);
                    if (stop.pulled()) return new Result(NO_EXIT_STATUS, BootTimings.NONE, Ending.STOPPED);
                    throw QemuFailure.explain(e, qemuText, vm);
                }
                if (controlSocket != null)
                    controlServer = ControlSocket.serve(controlSocket, control, sockets.output(QemuSockets.COM3));
                List<Thread> fromGuest = new ArrayList<>();
                fromGuest.add(pump("com1-stdout", sockets.input(QemuSockets.COM1), out, stopVm, closed));
                fromGuest.add(pump("com2-stderr", sockets.input(QemuSockets.COM2), err, stopVm, closed));
                fromGuest.add(start("com3-control", () -> control.readFrom(sockets.input(QemuSockets.COM3)), stopVm));
                fromGuest.add(start(
                        "qmp",
                        () -> qmp.follow(sockets.input(QemuSockets.QMP), sockets.output(QemuSockets.QMP)),
                        stopVm));
                forwardStdin(in, sockets.output(QemuSockets.COM1), sockets.output(QemuSockets.COM3));

                int qemuStatus = qemu.waitFor();
                // QEMU has closed its ends; the readers finish with whatever the sockets still hold.
                for (Thread t : fromGuest) t.join();
                diagnosticsReader.join();
                long endNanos = System.nanoTime();
                out.flush();
                err.flush();

                String qemuText = diagnostics.toString(StandardCharsets.UTF_8).strip();
                BootTimings timings = BootTimings.from(control, spawnNanos, endNanos);
                if (outputClosed.get())
                    return new Result(control.exitStatus().orElse(NO_EXIT_STATUS), timings, Ending.OUTPUT_CLOSED);
                if (control.exitStatus().isEmpty() && stop.pulled())
                    return new Result(NO_EXIT_STATUS, timings, Ending.STOPPED);
                if (control.exitStatus().isEmpty() && !qmp.machineReady() && qemuStatus != 0) {
                    // QEMU connects its serial ports before it builds the machine, and can still fail then
                    throw QemuFailure.explain(
                            new MonitorException("QEMU could not start the VM (status " + qemuStatus + ")"),
                            qemuText,
                            vm);
                }
                if (control.exitStatus().isEmpty()) {
                    String why = qmp.haltingEvent() == null
                            ? "QEMU exited with status " + qemuStatus
                            : "QEMU halted the VM (" + qmp.haltingEvent() + " event) and was stopped";
                    err.println("uniwasm: the VM ended without reporting an exit status (" + why + ")");
                    if (!qemuText.isEmpty()) err.println(QemuFailure.indent(qemuText));
                    return new Result(NO_EXIT_STATUS, timings, Ending.NO_EXIT_STATUS);
                }
                if (vm.verbose() && !qemuText.isEmpty()) err.println(QemuFailure.indent(qemuText));
                return new Result(control.exitStatus().getAsInt(), timings, Ending.GUEST_EXIT);
            } catch (InterruptedException e) {
                qemu.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new MonitorException("interrupted; the VM was stopped", e);
            } finally {
                if (controlServer != null) controlServer.close();
                qemu.destroyForcibly();
                try {
                    Runtime.getRuntime().removeShutdownHook(killer);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running already and kills QEMU itself
                }
            }
        }
    }

    /**
     * Copies the host's stdin to COM1 and then says "eof" with the byte count on COM3. A daemon
     * thread: a blocking read of the host's stdin cannot be interrupted, and it must not keep the JVM
     * alive.
     */
    private static void forwardStdin(InputStream in, OutputStream com1, OutputStream com3) {
        Thread t = new Thread(
                () -> {
                    try {
                        byte[] buf = new byte[PUMP_BUFFER];
                        long sent = 0;
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            com1.write(buf, 0, n);
                            sent += n;
                        }
                        ControlChannel.sendEof(com3, sent);
                    } catch (IOException guestGone) {
                        // the VM ended before reading all of stdin; that is the application's choice
                    }
                },
                "uniwasm-stdin");
        t.setDaemon(true);
        t.start();
    }

    private interface IoTask {
        void run() throws IOException;
    }

    private static Thread start(String name, IoTask task, Runnable onFailure) {
        Thread t = new Thread(
                () -> {
                    try {
                        task.run();
                    } catch (IOException e) {
                        onFailure.run();
                    }
                },
                "uniwasm-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Thread pump(
            String name, InputStream from, OutputStream to, Runnable onReadFailure, Runnable onWriteFailure) {
        return start(
                name,
                () -> {
                    byte[] buf = new byte[PUMP_BUFFER];
                    int n;
                    while ((n = from.read(buf)) > 0) {
                        try {
                            synchronized (to) {
                                to.write(buf, 0, n);
                                to.flush();
                            }
                        } catch (IOException e) {
                            onWriteFailure.run();
                            return;
                        }
                    }
                },
                onReadFailure);
    }

    /**
     * Starts QEMU through util-linux's setpriv (parent-death signal SIGKILL) and setsid (a session
     * of its own), from a thread that waits for QEMU and so outlives it. Without a race: QEMU is
     * exec'd only after the death signal is set, and if this process died before that, QEMU finds
     * the monitor's sockets closed and exits at once.
     */
    private static Process startQemu(List<String> qemuCommand) {
        if (!onPath(QemuCommandLine.QEMU)) {
            throw new MonitorException("cannot start " + QemuCommandLine.QEMU
                    + ": not found on PATH (is qemu-system-x86 installed? scripts/setup installs it)");
        }
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--", "setsid", "--"));
        cmd.addAll(qemuCommand);
        ProcessBuilder builder = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true);
        CompletableFuture<Process> started = new CompletableFuture<>();
        Thread parent = new Thread(
                () -> {
                    Process p;
                    try {
                        p = builder.start();
                    } catch (IOException | RuntimeException e) {
                        started.completeExceptionally(e);
                        return;
                    }
                    started.complete(p);
                    while (p.isAlive()) {
                        try {
                            p.waitFor();
                        } catch (InterruptedException e) {
                            // this thread's life is what keeps QEMU alive; it ends with QEMU only
                        }
                    }
                },
                "uniwasm-qemu-parent");
        parent.setDaemon(true);
        parent.start();
        try {
            return started.join();
        } catch (CompletionException e) {
            throw new MonitorException(
                    "cannot start " + QemuCommandLine.QEMU + " through setpriv and setsid (util-linux): "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    private static String awaitText(Process qemu, Thread reader, ByteArrayOutputStream text) {
        try {
            qemu.waitFor();
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (text) {
            return text.toString(StandardCharsets.UTF_8).strip();
        }
    }
}
