package dev.uniwasm.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One VM to run.
 *
 * @param image the PVH-bootable ELF
 * @param runtimeBootConfig writes the boot configuration handed to the kernel as the PVH initrd
 *     module, or null to use the one baked into the image
 * @param memoryMib guest RAM in MiB
 * @param machine QEMU machine type
 * @param accelerator KVM or TCG
 * @param verbose echo QEMU's command line, its diagnostics and the kernel's chatter on stderr
 * @param network the guest's network device and published ports
 */
public record VmConfig(Path image, BootConfigWriter runtimeBootConfig, long memoryMib, Machine machine,
        Accelerator accelerator, boolean verbose, NetworkOptions network) {
    public static final long DEFAULT_MEMORY_MIB = 128;

    /**
     * Writes the run-time boot configuration into the file the monitor passes to QEMU. A writer
     * rather than bytes: with packed directories the configuration can be larger than a Java array
     * or the heap, so it goes from the host files to this file directly.
     */
    @FunctionalInterface
    public interface BootConfigWriter {
        void writeTo(Path file) throws IOException;

        /** A configuration encoded already. */
        static BootConfigWriter of(byte[] encoded) {
            return file -> Files.write(file, encoded);
        }
    }

    public VmConfig {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(network, "network");
        if (memoryMib < 2) throw new IllegalArgumentException("guest memory must be at least 2 MiB, got " + memoryMib + " MiB");
    }

    public VmConfig(Path image, BootConfigWriter runtimeBootConfig, long memoryMib, Machine machine, Accelerator accelerator,
            boolean verbose) {
        this(image, runtimeBootConfig, memoryMib, machine, accelerator, verbose, NetworkOptions.NONE);
    }
}
