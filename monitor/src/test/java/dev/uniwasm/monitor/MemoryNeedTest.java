package dev.uniwasm.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryNeedTest {
    private static final long MIB = MemoryNeed.MIB;
    /** hello.wasm's image ends here (its lwIP pools in .bss included). */
    private static final long HELLO_END = 0x359000;

    @Test
    void helloNeedsItsImageAndTheKernelFloor() {
        assertEquals(5, MemoryNeed.leastMib(HELLO_END, 200, Machine.MICROVM, false));
        assertEquals(
                7, MemoryNeed.leastMib(HELLO_END, 200, Machine.MICROVM, true), "the network's buffers come on top");
        assertFalse(MemoryNeed.fits(4, HELLO_END, 200, Machine.MICROVM, false));
    }

    /** uniwasm-runtime checks its boot configurations against this bound: the largest that fits, and no byte more. */
    @Test
    void largestBootConfigIsTheEdgeOfFits() {
        long largest = MemoryNeed.largestBootConfig(HELLO_END, 128, Machine.MICROVM, false);
        assertTrue(MemoryNeed.fits(128, HELLO_END, largest, Machine.MICROVM, false));
        assertFalse(MemoryNeed.fits(128, HELLO_END, largest + 1, Machine.MICROVM, false));
        assertTrue(
                largest > 120 * MIB && largest < 128 * MIB,
                "128 MiB less the image and the kernel's floor: " + largest);
        assertEquals(
                0, MemoryNeed.largestBootConfig(HELLO_END, 4, Machine.MICROVM, false), "nothing fits beside the image");
    }

    /** A 68 MB image cannot boot in 64 MiB (QEMU ended it with status 137). */
    @Test
    void imageLargerThanMemory() {
        long end = MIB + 68_000_000L;
        assertFalse(MemoryNeed.fits(64, end, 0, Machine.MICROVM, false));
        assertEquals(
                67, MemoryNeed.leastMib(end, 0, Machine.MICROVM, false), "1 MiB low + 64.9 MiB image + 1 MiB floor");
    }

    /** QEMU refused a 300 MB --dir in 128 MiB with "initrd is too large"; now the need is known. */
    @Test
    void bootConfigMustFitUnderLowRam() {
        long initrd = 300_000_000L;
        assertFalse(MemoryNeed.fits(128, HELLO_END, initrd, Machine.MICROVM, false));
        long least = MemoryNeed.leastMib(HELLO_END, initrd, Machine.MICROVM, false);
        assertTrue(MemoryNeed.fits(least, HELLO_END, initrd, Machine.MICROVM, false));
        assertFalse(MemoryNeed.fits(least - 1, HELLO_END, initrd, Machine.MICROVM, false));
        assertEquals(291, least, "3.4 MiB image + 286.1 MiB config + 1 MiB floor");
    }

    /** The limits QEMU 7.2 printed ("initrd is too large ... max") for 4 GiB: microvm 3 GiB - 1, q35 2 GiB - 0x28000 - 1. */
    @Test
    void lowRamLimitsMatchQemu() {
        long image = 2 * MIB;
        long microvmMax = 3221225471L, q35Max = 2147319807L;
        assertTrue(MemoryNeed.fits(4096, image, microvmMax - 1 - image - 8192, Machine.MICROVM, false));
        assertFalse(MemoryNeed.fits(4096, image, microvmMax, Machine.MICROVM, false));
        assertFalse(MemoryNeed.fits(4096, image, q35Max, Machine.Q35, false));
        assertTrue(MemoryNeed.fits(4096, image, q35Max - 1 - image - 8192, Machine.Q35, false));
        assertEquals(-1, MemoryNeed.leastMib(image, 3500L * MIB, Machine.MICROVM, false), "nothing fits above 3 GiB");
    }

    @Test
    void elf32AndElf64LoadEnds(@TempDir Path dir) throws IOException {
        long fixtureEnd = MemoryNeed.imageEnd(FixtureKernel.image()); // ELF32, one segment at 1 MiB
        assertTrue(fixtureEnd > 0x100000 && fixtureEnd % 4096 == 0, Long.toHexString(fixtureEnd));
        ByteBuffer elf = ByteBuffer.allocate(64 + 2 * 56).order(ByteOrder.LITTLE_ENDIAN);
        elf.putInt(0, 0x464c457f)
                .put(4, (byte) 2)
                .putLong(0x20, 64)
                .putShort(0x36, (short) 56)
                .putShort(0x38, (short) 2);
        elf.putInt(64, 1).putLong(64 + 24, 0x100000).putLong(64 + 40, 0x5000); // PT_LOAD, paddr, memsz
        elf.putInt(120, 4).putLong(120 + 24, 0x900000).putLong(120 + 40, 0x1000); // PT_NOTE: not loaded
        Path elf64 = Files.write(dir.resolve("a.img"), elf.array());
        assertEquals(0x105000, MemoryNeed.imageEnd(elf64));
        Path notElf = Files.writeString(
                dir.resolve("x.img"), "not an image at all, but long enough to have a header of 64 bytes.......");
        MonitorException e = assertThrows(MonitorException.class, () -> MemoryNeed.imageEnd(notElf));
        assertTrue(e.getMessage().contains("not a bootable ELF"), e.getMessage());
    }

    @Test
    void tooSmallSaysWhatWouldDo() throws IOException {
        Path kernel = FixtureKernel.image();
        MonitorException e = assertThrows(
                MonitorException.class, () -> MemoryNeed.check(kernel, 300_000_000L, 128, Machine.MICROVM, false));
        assertEquals(MonitorException.Kind.MEMORY_TOO_SMALL, e.kind());
        assertTrue(
                e.neededMib() > 128
                        && MemoryNeed.fits(
                                e.neededMib(), MemoryNeed.imageEnd(kernel), 300_000_000L, Machine.MICROVM, false),
                e.getMessage());
        MonitorException large = assertThrows(
                MonitorException.class, () -> MemoryNeed.check(kernel, 3500L * MIB, 8192, Machine.MICROVM, false));
        assertEquals(MonitorException.Kind.BOOT_CONFIG_TOO_LARGE, large.kind());
    }
}
