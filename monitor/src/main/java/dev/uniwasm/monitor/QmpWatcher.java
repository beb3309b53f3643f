package dev.uniwasm.monitor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows QEMU's QMP events. A uniwasm guest never pauses itself, so a STOP event means QEMU halted
 * the VM for good (a KVM internal error, an I/O error): QEMU would then wait for ever instead of
 * exiting, so the monitor ends it. GUEST_PANICKED is treated the same way.
 */
final class QmpWatcher {
    private static final Pattern EVENT = Pattern.compile("\"event\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final byte[] ENTER_COMMAND_MODE =
            "{\"execute\": \"qmp_capabilities\"}\n".getBytes(StandardCharsets.US_ASCII);

    private final Runnable stopVm;
    private final Runnable machineReady;
    private volatile String haltingEvent;
    private volatile boolean ready;

    /**
     * @param stopVm ends QEMU
     * @param machineReady runs once QEMU has answered its first command: QEMU's main loop, which
     *     answers, starts only after the machine was built, so the kernel and the initrd are loaded
     */
    QmpWatcher(Runnable stopVm, Runnable machineReady) {
        this.stopVm = stopVm;
        this.machineReady = machineReady;
    }

    /** Reads QMP until QEMU closes it. Events are only sent once the client has sent qmp_capabilities. */
    void follow(InputStream fromQemu, OutputStream toQemu) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(fromQemu, StandardCharsets.UTF_8));
        String greeting = in.readLine();
        if (greeting == null) return;
        toQemu.write(ENTER_COMMAND_MODE);
        toQemu.flush();
        String line;
        while ((line = in.readLine()) != null) {
            if (!ready && line.contains("\"return\"")) {
                ready = true;
                machineReady.run();
            }
            Matcher m = EVENT.matcher(line);
            if (m.find() && (m.group(1).equals("STOP") || m.group(1).equals("GUEST_PANICKED"))) {
                haltingEvent = m.group(1);
                stopVm.run();
            }
        }
    }

    /** Whether QEMU answered, and so had built the machine: a QEMU that ends before never started the VM. */
    boolean machineReady() {
        return ready;
    }

    /** The QMP event that made the monitor end QEMU, or null. */
    String haltingEvent() {
        return haltingEvent;
    }
}
