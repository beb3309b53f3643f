package dev.uniwasm.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
    private static final List<Path> SOCKETS =
            List.of(Path.of("/t/com1.sock"), Path.of("/t/com2.sock"), Path.of("/t/com3.sock"));

    private static String after(List<String> cmd, String flag) {
        return after(cmd, flag, 0);
    }

    /** The value of the n-th (from 0) occurrence of a flag. */
    private static String after(List<String> cmd, String flag, int occurrence) {
        int seen = 0;
        for (int i = 0; i + 1 < cmd.size(); i++) {
            if (cmd.get(i).equals(flag) && seen++ == occurrence) return cmd.get(i + 1);
        }
        throw new AssertionError(flag + " #" + occurrence + " missing in " + cmd);
    }

    @Test
    void microvmWithKvm() {
        VmConfig vm = new VmConfig(Path.of("/img/app.img"), null, 64, Machine.MICROVM, Accelerator.KVM, false);
        List<String> cmd = QemuCommandLine.build(vm, SOCKETS, null, null);
        assertEquals("qemu-system-x86_64", cmd.get(0));
        assertTrue(after(cmd, "-M").startsWith("microvm,"), cmd.toString());
        assertTrue(cmd.contains("-enable-kvm"));
        assertTrue(after(cmd, "-cpu").startsWith("host"));
        assertEquals("64M", after(cmd, "-m"));
        assertEquals("/img/app.img", after(cmd, "-kernel"));
        assertFalse(cmd.contains("-initrd"), "no run-time config, no initrd");
        assertTrue(cmd.containsAll(List.of("-nodefaults", "-no-user-config")));
        assertTrue(cmd.contains("isa-debug-exit,iobase=0xf4,iosize=0x04"));
    }

    @Test
    void serialPortsInProtocolOrder() {
        VmConfig vm = new VmConfig(Path.of("a.img"), null, 64, Machine.MICROVM, Accelerator.KVM, false);
        List<String> cmd = QemuCommandLine.build(vm, SOCKETS, null, null);
        for (int i = 0; i < 3; i++) {
            String id = "com" + (i + 1);
            assertTrue(cmd.contains("socket,id=" + id + ",path=/t/" + id + ".sock,server=off"), cmd.toString());
            assertTrue(cmd.contains("isa-serial,chardev=" + id + ",index=" + i), cmd.toString());
        }
    }

    @Test
    void q35WithTcgAndInitrd() {
        VmConfig vm = new VmConfig(
                Path.of("a.img"),
                VmConfig.BootConfigWriter.of(new byte[] {1}),
                256,
                Machine.Q35,
                Accelerator.TCG,
                false);
        List<String> cmd = QemuCommandLine.build(vm, SOCKETS, Path.of("/t/qmp.sock"), Path.of("/t/bootconfig"));
        assertEquals("q35", after(cmd, "-M"));
        assertEquals("tcg", after(cmd, "-accel"));
        assertEquals("max", after(cmd, "-cpu"));
        assertFalse(cmd.contains("-enable-kvm"));
        assertEquals("/t/bootconfig", after(cmd, "-initrd"));
        assertEquals("256M", after(cmd, "-m"));
        assertEquals("socket,id=qmp,path=/t/qmp.sock,server=off", after(cmd, "-chardev", 3));
        assertEquals("chardev=qmp,mode=control", after(cmd, "-mon"));
        assertTrue(cmd.contains("-no-reboot"), "a triple fault must end QEMU");
    }

    /** The image module's boot tests wire COM1..COM3 to stdio, a file and a listening socket of their own. */
    @Test
    void guestWithSerialBackendsOfTheCallersChoice() {
        List<String> cmd = QemuCommandLine.guest(
                Machine.MICROVM,
                Accelerator.TCG,
                128,
                Path.of("a.img"),
                null,
                List.of("stdio,signal=off", "file,path=/t/err", "socket,path=/t/c.sock,server=on,wait=on"));
        assertEquals(
                List.of(
                        "stdio,id=com1,signal=off",
                        "file,id=com2,path=/t/err",
                        "socket,id=com3,path=/t/c.sock,server=on,wait=on"),
                List.of(after(cmd, "-chardev", 0), after(cmd, "-chardev", 1), after(cmd, "-chardev", 2)));
        for (int i = 0; i < 3; i++)
            assertTrue(cmd.contains("isa-serial,chardev=com" + (i + 1) + ",index=" + i), cmd.toString());
        // the same machine as the monitor's VMs, without their QMP socket and network
        VmConfig vm = new VmConfig(Path.of("a.img"), null, 128, Machine.MICROVM, Accelerator.TCG, false);
        List<String> monitors = QemuCommandLine.build(vm, SOCKETS, null, null);
        assertEquals(after(monitors, "-M"), after(cmd, "-M"));
        assertEquals(after(monitors, "-cpu"), after(cmd, "-cpu"));
        assertEquals(
                monitors.stream().filter(a -> !a.contains("com")).toList(),
                cmd.stream().filter(a -> !a.contains("com")).toList());
        assertThrows(
                IllegalArgumentException.class,
                () -> QemuCommandLine.guest(
                        Machine.MICROVM, Accelerator.TCG, 128, Path.of("a.img"), null, List.of("stdio")));
    }

    @Test
    void rejectsWrongSocketCount() {
        VmConfig vm = new VmConfig(Path.of("a.img"), null, 64, Machine.MICROVM, Accelerator.KVM, false);
        assertThrows(
                IllegalArgumentException.class, () -> QemuCommandLine.build(vm, Collections.emptyList(), null, null));
    }

    @Test
    void rejectsTinyMemory() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new VmConfig(Path.of("a.img"), null, 1, Machine.MICROVM, Accelerator.KVM, false));
    }
}
