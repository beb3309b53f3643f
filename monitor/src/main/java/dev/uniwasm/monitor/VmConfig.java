package dev.uniwasm.monitor;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One VM to run.
 *
 * @param image the PVH-bootable ELF
 * @param runtimeBootConfig encoded boot configuration handed to the kernel as the PVH initrd
 *     module, or null to use the one baked into the image
 * @param memoryMib guest RAM in MiB
 * @param machine QEMU machine type
 * @param accelerator KVM or TCG
 * @param verbose echo QEMU's command line, its diagnostics and the kernel's chatter on stderr
 * @param network the guest's network device and published ports
 */
public record VmConfig(Path image, byte[] runtimeBootConfig, long memoryMib, Machine machine,
        Accelerator accelerator, boolean verbose, NetworkOptions network) {
    public static final long DEFAULT_MEMORY_MIB = 128;

    public VmConfig {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(network, "network");
        if (memoryMib < 2) throw new IllegalArgumentException("guest memory must be at least 2 MiB, got " + memoryMib + " MiB");
    }

    public VmConfig(Path image, byte[] runtimeBootConfig, long memoryMib, Machine machine, Accelerator accelerator,
            boolean verbose) {
        this(image, runtimeBootConfig, memoryMib, machine, accelerator, verbose, NetworkOptions.NONE);
    }
}
