package dev.uniwasm.monitor;

import java.nio.file.Path;
import java.util.List;

/**
 * The QEMU command line of a VM that another program starts: uniwasm-runtime, which runs a
 * container's VM without a JVM (docs/oci.md, "The layer"). Written at image build from {@link
 * QemuCommandLine} itself, once per accelerator, with placeholders for what only the runtime knows:
 * {@code @image@} (the VM image's path), {@code @bootconfig@} (the run-time boot configuration, the
 * initrd), {@code @com1@}..{@code @com3@} (the serial ports' Unix sockets, which QEMU connects to as
 * it does to the monitor's). Lines, each a key, a space and a value to the end of the line:
 * <pre>
 * uniwasm-qemu 1
 * boot-config-max BYTES      the largest run-time boot configuration the VM's memory holds
 * kvm-device PATH            KVM is used when PATH opens read-write ...
 * kvm-unusable-with PATH     ... and PATH is not a folder (KvmProbe's rule)
 * kvm ARG                    one argument of the command line with KVM, in order
 * tcg ARG                    one argument of the command line with TCG, in order
 * </pre>
 */
public final class QemuTemplate {
    public static final String HEADER = "uniwasm-qemu 1";
    static final String IMAGE = "@image@", BOOT_CONFIG = "@bootconfig@";
    static final List<String> PORTS = List.of("@com1@", "@com2@", "@com3@");
    /** No boot configuration is smaller: its header; one with the module's name as argv[0] is a little more. */
    private static final long SMALLEST_BOOT_CONFIG = 64;

    private QemuTemplate() {}

    /** The file for {@code image} with {@code memoryMib} of guest memory on microvm, without a network. */
    public static String forImage(Path image, long memoryMib) {
        return forImage(image, memoryMib, NetworkOptions.NONE);
    }

    /**
     * The file for {@code image} with {@code memoryMib} of guest memory on microvm and {@code
     * network} (a user network's device and forwards, {@link QemuCommandLine}'s own lines: the
     * forwards bind wherever the program that reads the file starts QEMU, a container's network
     * namespace for uniwasm-runtime).
     *
     * @throws MonitorException {@link MonitorException.Kind#MEMORY_TOO_SMALL} when the image and a
     *     boot configuration do not fit that memory
     */
    public static String forImage(Path image, long memoryMib, NetworkOptions network) {
        if (network.tapDevice() != null)
            throw new IllegalArgumentException("a TAP device is the host's, not an image's");
        boolean net = network.enabled();
        // the image alone first, so that the usual failure names no boot configuration the user did not give
        MemoryNeed.check(image, 0, memoryMib, Machine.MICROVM, net);
        long largest = MemoryNeed.largestBootConfig(image, memoryMib, Machine.MICROVM, net);
        if (largest < SMALLEST_BOOT_CONFIG)
            MemoryNeed.check(image, SMALLEST_BOOT_CONFIG, memoryMib, Machine.MICROVM, net);
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        text.append("boot-config-max ").append(largest).append('\n');
        text.append("kvm-device ").append(KvmProbe.KVM_DEVICE).append('\n');
        text.append("kvm-unusable-with ").append(KvmProbe.PVM_MODULE).append('\n');
        for (Accelerator accelerator : Accelerator.values()) {
            VmConfig vm = new VmConfig(Path.of(IMAGE), null, memoryMib, Machine.MICROVM, accelerator, false, network);
            List<String> cmd =
                    QemuCommandLine.build(vm, PORTS.stream().map(Path::of).toList(), null, Path.of(BOOT_CONFIG));
            for (String arg : cmd) {
                if (arg.indexOf('\n') >= 0) throw new IllegalStateException("QEMU argument with a newline: " + arg);
                text.append(accelerator.name().toLowerCase(java.util.Locale.ROOT))
                        .append(' ')
                        .append(arg)
                        .append('\n');
            }
        }
        return text.toString();
    }
}
