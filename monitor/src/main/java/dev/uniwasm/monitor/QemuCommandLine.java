package dev.uniwasm.monitor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the qemu-system-x86_64 command line for one VM. */
public final class QemuCommandLine {
    public static final String QEMU = "qemu-system-x86_64";
    /** isa-debug-exit: the kernel's last write ends QEMU at once. */
    public static final int DEBUG_EXIT_IOBASE = 0xf4;

    private QemuCommandLine() {}

    /**
     * @param serialSockets the Unix sockets the monitor listens on for COM1, COM2 and COM3, in that
     *     order; QEMU connects to them as a client
     * @param qmpSocket the Unix socket for QEMU's QMP monitor, or null for none
     * @param initrd the run-time boot configuration file, or null
     */
    public static List<String> build(VmConfig vm, List<Path> serialSockets, Path qmpSocket, Path initrd) {
        if (serialSockets.size() != 3)
            throw new IllegalArgumentException("need sockets for COM1..COM3, got " + serialSockets.size());
        List<String> cmd = guest(
                vm.machine(),
                vm.accelerator(),
                vm.memoryMib(),
                vm.image(),
                initrd,
                serialSockets.stream()
                        .map(s -> "socket,path=" + s + ",server=off")
                        .toList());
        if (qmpSocket != null) {
            cmd.add("-chardev");
            cmd.add("socket,id=qmp,path=" + qmpSocket + ",server=off");
            cmd.add("-mon");
            cmd.add("chardev=qmp,mode=control");
        }
        addNetwork(cmd, vm);
        return cmd;
    }

    /**
     * What every VM of a uniwasm image is, whoever drives it: QEMU with the machine, the accelerator,
     * the memory, the image and its run-time boot configuration, COM1..COM3 (the console protocol's
     * ports, kernel/README.md) on the given character devices, and isa-debug-exit. {@link #build} puts
     * the ports on the monitor's sockets and adds QMP and the network; the image module's boot tests
     * put them on QEMU's stdio, a file and a socket of their own.
     *
     * @param serialBackends QEMU {@code -chardev} back-ends for COM1, COM2 and COM3, in that order,
     *     without an id ({@code "stdio,signal=off"}, {@code "file,path=F"}, ...)
     * @param initrd the run-time boot configuration file, or null
     */
    public static List<String> guest(
            Machine machine,
            Accelerator accelerator,
            long memoryMib,
            Path image,
            Path initrd,
            List<String> serialBackends) {
        if (serialBackends.size() != 3)
            throw new IllegalArgumentException("need back-ends for COM1..COM3, got " + serialBackends.size());
        List<String> cmd = new ArrayList<>();
        cmd.add(QEMU);
        cmd.add("-M");
        cmd.add(
                switch (machine) {
                    // our own serial devices below, so the machine's built-in one stays off; no option ROMs:
                    // qboot loads the PVH image itself
                    case MICROVM -> "microvm,x-option-roms=off,isa-serial=off,rtc=on";
                    case Q35 -> "q35";
                });
        cmd.addAll(acceleratorOptions(accelerator));
        cmd.add("-m");
        cmd.add(memoryMib + "M");
        // -display none rather than -nographic: with -nographic SeaBIOS (q35) mirrors its banner onto
        // COM1, which is the application's stdout.
        // -no-reboot: a triple fault ends QEMU instead of booting the image again in a loop
        cmd.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"));
        cmd.add("-kernel");
        cmd.add(image.toString());
        if (initrd != null) {
            cmd.add("-initrd");
            cmd.add(initrd.toString());
        }
        for (int i = 0; i < 3; i++) {
            String id = "com" + (i + 1);
            String backend = serialBackends.get(i);
            int options = backend.indexOf(',');
            cmd.add("-chardev");
            cmd.add(
                    options < 0
                            ? backend + ",id=" + id
                            : backend.substring(0, options) + ",id=" + id + backend.substring(options));
            cmd.add("-device");
            // index picks the standard PC port and IRQ: 0x3f8/4, 0x2f8/3, 0x3e8/4
            cmd.add("isa-serial,chardev=" + id + ",index=" + i);
        }
        cmd.add("-device");
        cmd.add("isa-debug-exit,iobase=0x" + Integer.toHexString(DEBUG_EXIT_IOBASE) + ",iosize=0x04");
        return cmd;
    }

    /** The accelerator and CPU model; the bench's Linux guest, run "on the same accelerator", uses them too. */
    public static List<String> acceleratorOptions(Accelerator accelerator) {
        return switch (accelerator) {
            // Nested KVM hosts reject the IA32_ARCH_CAPABILITIES value QEMU copies from the host and
            // QEMU then aborts; the kernel never reads that MSR, so hiding it costs nothing.
            case KVM -> List.of("-enable-kvm", "-cpu", "host,-arch-capabilities");
            case TCG -> List.of("-accel", "tcg", "-cpu", "max");
        };
    }

    /**
     * One virtio-net device on a user-mode network or a host TAP device. On microvm it is a virtio-mmio device; QEMU's
     * transport defaults to the legacy (version 1) interface, so the modern one is asked for, and
     * the kernel routes only ISA IRQs 0..15, so the second I/O APIC and ACPI stay off: the transports
     * then use IRQs 5..12 (with ACPI they move to 16..23, with ioapic2 to 24..). On q35 it is a
     * modern-only virtio PCI function (the kernel drives no legacy interface) signalling by MSI-X,
     * without an option ROM: SeaBIOS would otherwise run iPXE's before loading the image.
     */
    private static void addNetwork(List<String> cmd, VmConfig vm) {
        if (!vm.network().enabled()) return;
        cmd.add("-netdev");
        cmd.add(vm.network().qemuNetdev("net0", NetworkOptions.vhostNetUsable(vm.accelerator())));
        cmd.add("-device");
        switch (vm.machine()) {
            case MICROVM -> {
                cmd.add("virtio-net-device,netdev=net0");
                cmd.add("-global");
                cmd.add("virtio-mmio.force-legacy=false");
                int machine = cmd.indexOf("-M") + 1;
                cmd.set(machine, cmd.get(machine) + ",ioapic2=off,acpi=off");
            }
            case Q35 -> cmd.add("virtio-net-pci,netdev=net0,disable-legacy=on,romfile=");
        }
    }
}
