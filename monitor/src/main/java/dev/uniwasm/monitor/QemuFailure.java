package dev.uniwasm.monitor;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns QEMU's start-up failures that a user can fix into one line naming what to change; the
 * rest keep QEMU's own messages. The memory a VM needs is checked before QEMU starts ({@link
 * MemoryNeed}); these are what only QEMU can find out: the host's memory and ports.
 */
final class QemuFailure {
    private static final Pattern HOST_FORWARD = Pattern.compile("Could not set up host forwarding rule '([^']*)'");

    private QemuFailure() {}

    /** @param failure how the start failed; @param qemuText what QEMU printed */
    static MonitorException explain(MonitorException failure, String qemuText, VmConfig vm) {
        if (qemuText.contains("cannot set up guest memory")) {
            return new MonitorException(
                    MonitorException.Kind.MEMORY_UNAVAILABLE,
                    "this host cannot give the VM " + vm.memoryMib() + " MiB of guest memory (QEMU: "
                            + firstLine(qemuText, "cannot set up guest memory") + ")",
                    -1,
                    failure);
        }
        Matcher m = HOST_FORWARD.matcher(qemuText);
        if (m.find()) {
            return new MonitorException(
                    MonitorException.Kind.PORT_UNAVAILABLE,
                    "QEMU could not publish the host port of " + m.group(1)
                            + ": the port is taken or the address is not one of this host's",
                    -1,
                    failure);
        }
        return new MonitorException(
                failure.getMessage() + (qemuText.isEmpty() ? "" : ":\n" + indent(qemuText)), failure);
    }

    private static String firstLine(String text, String containing) {
        return text.lines()
                .filter(l -> l.contains(containing))
                .findFirst()
                .orElse(containing)
                .replaceFirst("^qemu-system-x86_64: ", "")
                .strip();
    }

    static String indent(String text) {
        return text.lines()
                .map(l -> "  qemu: " + l)
                .reduce((a, b) -> a + "\n" + b)
                .orElse("");
    }
}
