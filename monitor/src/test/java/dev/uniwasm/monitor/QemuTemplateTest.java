package dev.uniwasm.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file uniwasm-runtime starts VM containers from is the monitor's own command line, per accelerator. */
class QemuTemplateTest {
    /** An ELF64 image loading 3 MiB at 1 MiB. */
    private static Path image(Path dir) throws IOException {
        ByteBuffer elf = ByteBuffer.allocate(64 + 56).order(ByteOrder.LITTLE_ENDIAN);
        elf.putInt(0, 0x464c457f)
                .put(4, (byte) 2)
                .putLong(0x20, 64)
                .putShort(0x36, (short) 56)
                .putShort(0x38, (short) 1);
        elf.putInt(64, 1).putLong(64 + 24, 0x100000).putLong(64 + 40, 0x300000);
        return Files.write(dir.resolve("app.img"), elf.array());
    }

    private static List<String> args(String text, String accelerator) {
        return text.lines()
                .filter(l -> l.startsWith(accelerator + " "))
                .map(l -> l.substring(accelerator.length() + 1))
                .toList();
    }

    @Test
    void eachAcceleratorsLinesAreQemuCommandLineWithPlaceholders(@TempDir Path dir) throws IOException {
        Path image = image(dir);
        String text = QemuTemplate.forImage(image, 96);
        assertTrue(text.startsWith(QemuTemplate.HEADER + "\n"), text);
        List<Path> ports = QemuTemplate.PORTS.stream().map(Path::of).toList();
        for (Accelerator a : Accelerator.values()) {
            VmConfig vm = new VmConfig(Path.of("@image@"), null, 96, Machine.MICROVM, a, false);
            assertEquals(
                    QemuCommandLine.build(vm, ports, null, Path.of("@bootconfig@")),
                    args(text, a.name().toLowerCase()),
                    text);
        }
        assertTrue(args(text, "tcg").contains("96M") && args(text, "kvm").contains("-enable-kvm"), text);
        assertTrue(
                text.contains("\nkvm-device /dev/kvm\n") && text.contains("\nkvm-unusable-with /sys/module/kvm_pvm\n"),
                text);
        long max = Long.parseLong(text.lines()
                .filter(l -> l.startsWith("boot-config-max "))
                .findFirst()
                .orElseThrow()
                .substring(16));
        assertEquals(MemoryNeed.largestBootConfig(image, 96, Machine.MICROVM, false), max);
        assertTrue(text.endsWith("\n") && text.lines().allMatch(l -> l.indexOf(' ') > 0), text);
    }

    /** A server image's VM: the user network's device and forwards are QemuCommandLine's own lines, and its memory counts the network's. */
    @Test
    void aNetworkIsQemuCommandLinesUserNetworkWithItsForwards(@TempDir Path dir) throws IOException {
        Path image = image(dir);
        NetworkOptions network = NetworkOptions.userMode(List.of(new PortForward("127.0.0.1", 8080, 8080)), false);
        String text = QemuTemplate.forImage(image, 96, network);
        List<Path> ports = QemuTemplate.PORTS.stream().map(Path::of).toList();
        for (Accelerator a : Accelerator.values()) {
            VmConfig vm = new VmConfig(Path.of("@image@"), null, 96, Machine.MICROVM, a, false, network);
            assertEquals(
                    QemuCommandLine.build(vm, ports, null, Path.of("@bootconfig@")),
                    args(text, a.name().toLowerCase()),
                    text);
        }
        assertTrue(text.contains("\ntcg user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:8080-:8080\n"), text);
        assertTrue(text.contains("\ntcg virtio-net-device,netdev=net0\n"), text);
        long max = Long.parseLong(text.lines()
                .filter(l -> l.startsWith("boot-config-max "))
                .findFirst()
                .orElseThrow()
                .substring(16));
        assertEquals(MemoryNeed.largestBootConfig(image, 96, Machine.MICROVM, true), max);
        assertTrue(max < MemoryNeed.largestBootConfig(image, 96, Machine.MICROVM, false), text);
    }

    @Test
    void tooLittleMemoryForTheImageIsTheMonitorsError(@TempDir Path dir) throws IOException {
        Path image = image(dir);
        MonitorException e = assertThrows(MonitorException.class, () -> QemuTemplate.forImage(image, 5));
        assertEquals(MonitorException.Kind.MEMORY_TOO_SMALL, e.kind());
        assertTrue(e.neededMib() > 5, e.getMessage());
    }
}
