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

    /** The machine for a command-line name, or null when there is none of that name. */
    public static Machine byName(String name) {
        for (Machine m : values()) {
            if (m.qemuName.equals(name)) return m;
        }
        return null;
    }
}
