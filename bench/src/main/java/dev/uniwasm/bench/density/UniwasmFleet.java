package dev.uniwasm.bench.density;

import dev.uniwasm.bench.core.HttpProbe;
import dev.uniwasm.image.BootConfig;
import dev.uniwasm.image.NetworkConfig;
import dev.uniwasm.monitor.Accelerator;
import dev.uniwasm.monitor.Machine;
import dev.uniwasm.monitor.Monitor;
import dev.uniwasm.monitor.NetworkOptions;
import dev.uniwasm.monitor.PortForward;
import dev.uniwasm.monitor.VmConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * N uniwasm VMs of one image supervised by this JVM through the monitor library, each on a virtual
 * thread, as a host running many unikernels would: one process for all, not one JVM per VM. Each VM
 * is on QEMU's user-mode network with its server's port published on its own 127.0.0.1 port.
 */
final class UniwasmFleet implements AutoCloseable {
    /** The port the server listens on inside every guest. */
    static final int GUEST_PORT = 8080;

    private static final long STOP_SECONDS = 30;

    private final Path image;
    private final long memoryMib;
    private final Accelerator accelerator;
    private final byte[] bootConfig;
    private final PortBlock ports;
    private final List<Thread> monitors = new ArrayList<>();
    private final Thread killOnExit = new Thread(this::killAll, "density-kill-qemu");

    /**
     * @param args the server's argv (argv[0] first); the image's baked mounts stay
     */
    UniwasmFleet(Path image, List<String> args, long memoryMib, Accelerator accelerator, PortBlock ports) {
        this.image = image;
        this.memoryMib = memoryMib;
        this.accelerator = accelerator;
        this.ports = ports;
        NetworkConfig network = NetworkConfig.userMode(
                List.of(new NetworkConfig.Listener(NetworkConfig.ipv4("0.0.0.0", "listener"), GUEST_PORT)));
        this.bootConfig =
                new BootConfig(args, List.of(), false).withNetwork(network).encode();
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Launches VM {@code index}, waits for its server's ready line, then checks its answer; null when right. */
    String startAndCheck(int index, byte[] body, long timeoutSeconds) {
        int port = ports.port(index);
        VmConfig vm = new VmConfig(
                image,
                VmConfig.BootConfigWriter.of(bootConfig),
                memoryMib,
                Machine.MICROVM,
                accelerator,
                false,
                NetworkOptions.userMode(List.of(new PortForward(PortForward.DEFAULT_HOST_ADDRESS, port, GUEST_PORT))));
        ReadyLine out = new ReadyLine();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        CompletableFuture<Monitor.Result> ended = new CompletableFuture<>();
        Thread monitor = Thread.ofVirtual().name("density-vm-" + index).unstarted(() -> {
            try {
                ended.complete(Monitor.run(vm, InputStream.nullInputStream(), out, err));
            } catch (RuntimeException e) {
                ended.completeExceptionally(e);
            }
        });
        synchronized (monitors) {
            monitors.add(monitor);
        }
        monitor.start();
        try {
            CompletableFuture.anyOf(out.seen(), ended).get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return "no ready line from the server within " + timeoutSeconds + " s (port " + port + ")"
                    + tail(out, errBytes);
        } catch (ExecutionException e) {
            return "the monitor failed: " + e.getCause().getMessage() + tail(out, errBytes);
        } catch (InterruptedException e) {
            return "interrupted while booting";
        }
        if (!out.seen().isDone()) {
            return "the VM ended before its server was ready (exit status "
                    + ended.join().exitStatus() + ")" + tail(out, errBytes);
        }
        String problem = HttpProbe.check(port, body, (int) TimeUnit.SECONDS.toMillis(Math.min(timeoutSeconds, 30)));
        return problem == null ? null : problem + tail(out, errBytes);
    }

    private static String tail(ReadyLine out, ByteArrayOutputStream err) {
        String text = (out.text() + "\n" + err.toString(StandardCharsets.UTF_8)).strip();
        if (text.length() > 600) text = "..." + text.substring(text.length() - 600);
        return text.isEmpty() ? "" : "; guest output and monitor notices:\n" + text;
    }

    /** The QEMU process of each instance, by index; an instance whose QEMU is gone is missing. */
    Map<Integer, ChildProcesses.Child> qemus() {
        Map<Integer, ChildProcesses.Child> byIndex = new HashMap<>();
        for (ChildProcesses.Child c : ChildProcesses.matching(cmd -> cmd.startsWith("qemu-system"))) {
            int port = forwardedPort(c.commandLine());
            int index = port - ports.first();
            if (index >= 0 && index < ports.count()) byIndex.put(index, c);
        }
        return byIndex;
    }

    /** The host port of a QEMU command line's {@code hostfwd=tcp:127.0.0.1:PORT-:GUEST}, or -1. */
    static int forwardedPort(String qemuCommandLine) {
        String marker = "hostfwd=tcp:" + PortForward.DEFAULT_HOST_ADDRESS + ":";
        int at = qemuCommandLine.indexOf(marker);
        if (at < 0) return -1;
        int from = at + marker.length();
        int dash = qemuCommandLine.indexOf('-', from);
        if (dash < 0) return -1;
        try {
            return Integer.parseInt(qemuCommandLine.substring(from, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Stops every VM (QEMU gets SIGTERM, its monitor thread returns) and waits for them to be gone. */
    @Override
    public void close() {
        for (ChildProcesses.Child c : qemus().values())
            ProcessHandle.of(c.pid()).ifPresent(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_SECONDS);
        List<Thread> all;
        synchronized (monitors) {
            all = List.copyOf(monitors);
        }
        for (Thread t : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0 || !t.join(Duration.ofNanos(left))) break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and does the same
        }
    }

    private void killAll() {
        for (ChildProcesses.Child c : qemus().values())
            ProcessHandle.of(c.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
}
