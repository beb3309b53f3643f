package dev.uniwasm.monitor;

/** How QEMU runs guest code. */
public enum Accelerator {
    KVM,
    /** QEMU's emulator; used when /dev/kvm cannot be opened. */
    TCG
}
