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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs one uniwasm image under QEMU: wires the serial ports to the caller's streams, follows the
 * control channel, and returns the guest's exit status.
 */
public final class Monitor {
    /** Exit status when the VM ends without reporting one (EX_SOFTWARE). */
    public static final int NO_EXIT_STATUS = 70;
    private static final int PUMP_BUFFER = 64 * 1024;

    /** What a run ended with. */
    public record Result(int exitStatus, BootTimings timings) {}

    private Monitor() {}

    /**
     * Boots the VM and blocks until it is gone. The guest's stdout and stderr go to {@code out} and
     * {@code err} unbuffered and in order; {@code in} is forwarded to the guest's stdin (pass an empty
     * stream for none). Monitor notices (missing exit status, QEMU failures) go to {@code err}.
     */
    public static Result run(VmConfig vm, InputStream in, OutputStream out, PrintStream err) {
        return run(vm, in, out, err, null);
    }

    /**
     * As {@link #run(VmConfig, InputStream, OutputStream, PrintStream)}, and while the guest runs,
     * answers requests on the Unix socket {@code controlSocket} (null for none; see {@link
     * ControlSocket}), which is removed when the VM ends.
     */
    public static Result run(VmConfig vm, InputStream in, OutputStream out, PrintStream err, Path controlSocket) {
        Path dir;
        try {
            dir = Files.createTempDirectory("uniwasm-vm-");
        } catch (IOException e) {
            throw new MonitorException("cannot create a temporary folder for the VM's sockets: " + e.getMessage(), e);
        }
        try {
            return runIn(dir, vm, in, out, err, controlSocket);
        } catch (IOException e) {
            throw new MonitorException("VM I/O failed: " + e.getMessage(), e);
        } finally {
            deleteTree(dir);
        }
    }

    private static Result runIn(Path dir, VmConfig vm, InputStream in, OutputStream out, PrintStream err, Path controlSocket)
            throws IOException {
        if (!Files.isReadable(vm.image())) throw new MonitorException("cannot read image " + vm.image());
        Path initrd = null;
        if (vm.runtimeBootConfig() != null) {
            initrd = dir.resolve("bootconfig");
            vm.runtimeBootConfig().writeTo(initrd);
        }
        try (QemuSockets sockets = QemuSockets.listen(dir)) {
            List<String> cmd = QemuCommandLine.build(vm, sockets.serialPaths(), sockets.qmpPath(), initrd);
            if (vm.verbose()) err.println("uniwasm: " + String.join(" ", cmd));
            ControlChannel control = new ControlChannel(vm.verbose() ? err : null);

            long spawnNanos = System.nanoTime();
            Process qemu;
            try {
                qemu = new ProcessBuilder(cmd)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectErrorStream(true)
                        .start();
            } catch (IOException e) {
                throw new MonitorException("cannot start " + QemuCommandLine.QEMU + " (is qemu-system-x86 installed? scripts/setup installs it): " + e.getMessage(), e);
            }
            Thread killer = new Thread(qemu::destroyForcibly, "uniwasm-kill-qemu");
            Runtime.getRuntime().addShutdownHook(killer);
            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            // If a stream breaks (say stdout is a closed pipe) the guest would block on its UART for
            // ever; stopping the VM is what a process with a broken pipe gets too.
            Runnable stopVm = qemu::destroyForcibly;
            Thread diagnosticsReader = pump("qemu-output", qemu.getInputStream(), diagnostics, stopVm);
            QmpWatcher qmp = new QmpWatcher(stopVm);
            ControlSocket controlServer = null;
            try {
                sockets.awaitConnections(qemu);
                if (controlSocket != null) controlServer = ControlSocket.serve(controlSocket, control, sockets.output(QemuSockets.COM3));
                List<Thread> fromGuest = new ArrayList<>();
                fromGuest.add(pump("com1-stdout", sockets.input(QemuSockets.COM1), out, stopVm));
                fromGuest.add(pump("com2-stderr", sockets.input(QemuSockets.COM2), err, stopVm));
                fromGuest.add(start("com3-control", () -> control.readFrom(sockets.input(QemuSockets.COM3)), stopVm));
                fromGuest.add(start("qmp", () -> qmp.follow(sockets.input(QemuSockets.QMP), sockets.output(QemuSockets.QMP)), stopVm));
                forwardStdin(in, sockets.output(QemuSockets.COM1), sockets.output(QemuSockets.COM3));

                int qemuStatus = qemu.waitFor();
                // QEMU has closed its ends; the readers finish with whatever the sockets still hold.
                for (Thread t : fromGuest) t.join();
                diagnosticsReader.join();
                long endNanos = System.nanoTime();
                out.flush();
                err.flush();

                String qemuText = diagnostics.toString(StandardCharsets.UTF_8).strip();
                if (control.exitStatus().isEmpty()) {
                    String why = qmp.haltingEvent() == null
                            ? "QEMU exited with status " + qemuStatus
                            : "QEMU halted the VM (" + qmp.haltingEvent() + " event) and was stopped";
                    err.println("uniwasm: the VM ended without reporting an exit status (" + why + ")");
                    if (!qemuText.isEmpty()) err.println(indent(qemuText));
                    return new Result(NO_EXIT_STATUS, BootTimings.from(control, spawnNanos, endNanos));
                }
                if (vm.verbose() && !qemuText.isEmpty()) err.println(indent(qemuText));
                return new Result(control.exitStatus().getAsInt(), BootTimings.from(control, spawnNanos, endNanos));
            } catch (InterruptedException e) {
                qemu.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new MonitorException("interrupted; the VM was stopped", e);
            } catch (MonitorException e) {
                qemu.destroyForcibly();
                String qemuText = awaitText(qemu, diagnosticsReader, diagnostics);
                throw new MonitorException(e.getMessage() + (qemuText.isEmpty() ? "" : ":\n" + indent(qemuText)), e);
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
        Thread t = new Thread(() -> {
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
        }, "uniwasm-stdin");
        t.setDaemon(true);
        t.start();
    }

    private interface IoTask {
        void run() throws IOException;
    }

    private static Thread start(String name, IoTask task, Runnable onFailure) {
        Thread t = new Thread(() -> {
            try {
                task.run();
            } catch (IOException e) {
                onFailure.run();
            }
        }, "uniwasm-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Thread pump(String name, InputStream from, OutputStream to, Runnable onFailure) {
        return start(name, () -> {
            byte[] buf = new byte[PUMP_BUFFER];
            int n;
            while ((n = from.read(buf)) > 0) {
                synchronized (to) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            }
        }, onFailure);
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

    private static String indent(String text) {
        return text.lines().map(l -> "  qemu: " + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary folder is harmless
        }
    }
}
