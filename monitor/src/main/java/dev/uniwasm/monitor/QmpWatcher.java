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
    private static final byte[] ENTER_COMMAND_MODE = "{\"execute\": \"qmp_capabilities\"}\n".getBytes(StandardCharsets.US_ASCII);

    private final Runnable stopVm;
    private volatile String haltingEvent;

    /** @param stopVm ends QEMU */
    QmpWatcher(Runnable stopVm) {
        this.stopVm = stopVm;
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
            Matcher m = EVENT.matcher(line);
            if (m.find() && (m.group(1).equals("STOP") || m.group(1).equals("GUEST_PANICKED"))) {
                haltingEvent = m.group(1);
                stopVm.run();
            }
        }
    }

    /** The QMP event that made the monitor end QEMU, or null. */
    String haltingEvent() {
        return haltingEvent;
    }
}
