package dev.uniwasm.monitor;

/** The QEMU machine types that boot uniwasm images. Both load the same PVH ELF. */
public enum Machine {
    /** Minimal machine, virtio-mmio devices, qboot firmware: the fast default. */
    MICROVM("microvm"),
    /** A PC with PCI; SeaBIOS loads the PVH image, so it starts more slowly. */
    Q35("q35");

    public final String qemuName;

    Machine(String qemuName) {
        this.qemuName = qemuName;
    }

    /**
     * How much of {@code memoryBytes} of guest RAM QEMU (7.2, the Debian 12 one) places below 4 GiB:
     * microvm keeps at most 3 GiB there (hw/i386/microvm.c), q35 all of it when it is less than
     * 2.75 GiB and else 2 GiB (hw/i386/pc_q35.c). The PVH loader puts the image and the run-time
     * boot configuration (-initrd) there, and the kernel finds them through its first 4 GiB.
     */
    public long ramBelow4GiB(long memoryBytes) {
        return switch (this) {
            case MICROVM -> Math.min(memoryBytes, 3L << 30);
            case Q35 -> memoryBytes < 0xb000_0000L ? memoryBytes : 2L << 30;
        };
    }

    /** The most RAM below 4 GiB any whole-MiB memory size gives this machine. */
    public long maxRamBelow4GiB() {
        return switch (this) {
            case MICROVM -> 3L << 30;
            case Q35 -> 0xb000_0000L - (1L << 20);
        };
    }

    /** The machine for a command-line name, or null when there is none of that name. */
    public static Machine byName(String name) {
        for (Machine m : values()) {
            if (m.qemuName.equals(name)) return m;
        }
        return null;
    }
}
