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
public record VmConfig(
        Path image,
        BootConfigWriter runtimeBootConfig,
        long memoryMib,
        Machine machine,
        Accelerator accelerator,
        boolean verbose,
        NetworkOptions network) {
    public static final long DEFAULT_MEMORY_MIB = 128;
    /**
     * No image boots in less: the kernel's code and static data (lwIP's pools are most of it) end
     * near 3.4 MiB, and it needs {@link MemoryNeed#KERNEL_FLOOR} beyond its image. What a given
     * image needs is checked when it is run ({@link MemoryNeed}).
     */
    public static final long MIN_MEMORY_MIB = 5;
    /**
     * The kernel identity-maps RAM below 512 GiB, where the app stack's range begins
     * (kernel/README.md, "Memory map"), and QEMU puts the RAM above 4 GiB after a hole of 1 GiB
     * (microvm) or 2 GiB (q35): the top of RAM is the memory size plus 2 GiB at most.
     */
    public static final long MAX_MEMORY_MIB = 510L * 1024;

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
        if (memoryMib < MIN_MEMORY_MIB || memoryMib > MAX_MEMORY_MIB) {
            throw new IllegalArgumentException("guest memory must be " + MIN_MEMORY_MIB + " MiB .. " + MAX_MEMORY_MIB
                    + " MiB, got " + memoryMib + " MiB");
        }
    }

    public VmConfig(
            Path image,
            BootConfigWriter runtimeBootConfig,
            long memoryMib,
            Machine machine,
            Accelerator accelerator,
            boolean verbose) {
        this(image, runtimeBootConfig, memoryMib, machine, accelerator, verbose, NetworkOptions.NONE);
    }
}
