package dev.uniwasm.monitor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The least guest memory a VM can boot with, checked before QEMU starts: below it QEMU refuses the
 * boot configuration ("initrd is too large"), loads it over the image, or the kernel panics before
 * the app runs. It is a lower bound: what the app itself allocates (its linear memory beyond a small
 * one, writable {@code --dir} copies, tmpfs files) comes on top.
 *
 * <p>Where QEMU 7.2 puts things (hw/i386/x86.c, microvm.c, pc_q35.c; the limits QEMU prints in its
 * "initrd is too large" message were checked against these): the image's PT_LOAD segments at their
 * physical addresses (from 1 MiB); the initrd page-aligned right under the top of the RAM below
 * 4 GiB minus the ACPI tables' room (q35 only). RAM below 4 GiB is all of it up to 3 GiB on microvm;
 * on q35 all of it below 2.75 GiB and 2 GiB from there on.
 */
public final class MemoryNeed {
    static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final long PAGE = 4096;
    /** What the kernel needs beyond its image (kernel/README.md, "Memory map"): the frame bitmap and
     * the identity map's page tables (about 40 KiB up to 4 GiB of RAM), the boot configuration's
     * strings and mount table on the heap, the first pages of the app's stack and a small linear
     * memory. hello.wasm runs in 0.65 MiB beyond its image. */
    static final long KERNEL_FLOOR = MIB;
    /** With a network, the virtio-net rings' 512 buffers of 2 KiB (1 MiB of heap) and lwIP's heap
     * allocations come on top (kernel/README.md, "Network"). */
    static final long NETWORK_FLOOR = 2 * MIB;

    private static final long Q35_ACPI_ROOM = 0x28000;
    private static final long MICROVM_LOW_RAM_MAX = 3 * GIB;
    private static final long Q35_SPLIT_FROM = 0xb0000000L;
    private static final long Q35_LOW_RAM_SPLIT = 2 * GIB;
    /** Past 4 GiB of guest memory nothing below 4 GiB changes, so a search for the least memory ends there. */
    private static final long SEARCH_LIMIT_MIB = 4096 + (KERNEL_FLOOR + NETWORK_FLOOR) / MIB + 1;

    private MemoryNeed() {}

    /**
     * Throws {@link MonitorException} ({@link MonitorException.Kind#MEMORY_TOO_SMALL} or {@link
     * MonitorException.Kind#BOOT_CONFIG_TOO_LARGE}) when {@code vm} cannot boot with its memory.
     */
    static void check(VmConfig vm, long initrdBytes) {
        check(
                vm.image(),
                initrdBytes,
                vm.memoryMib(),
                vm.machine(),
                vm.network().enabled());
    }

    /**
     * As {@link #check(VmConfig, long)}, for a front end that checks before it has a VmConfig.
     *
     * @param initrdBytes the size of the run-time boot configuration, 0 for none
     */
    public static void check(Path image, long initrdBytes, long memoryMib, Machine machine, boolean network) {
        long imageEnd = imageEnd(image);
        if (fits(memoryMib, imageEnd, initrdBytes, machine, network)) return;
        long least = leastMib(imageEnd, initrdBytes, machine, network);
        String parts = "the image (" + mib(imageEnd - MIB) + " MiB loaded at 1 MiB)"
                + (initrdBytes > 0
                        ? ", the boot configuration (" + mib(initrdBytes) + " MiB, packed directories included)"
                        : "")
                + " and the kernel (" + mib(floor(network)) + " MiB" + (network ? " with the network" : "") + ")";
        if (least < 0) {
            throw new MonitorException(
                    MonitorException.Kind.BOOT_CONFIG_TOO_LARGE,
                    "the boot configuration ("
                            + mib(initrdBytes) + " MiB, packed directories included) does not fit below 4 GiB on "
                            + machine.qemuName + ", where QEMU must load it next to the image (" + mib(imageEnd - MIB)
                            + " MiB); at most " + mib(largestInitrd(imageEnd, machine)) + " MiB fit",
                    -1,
                    null);
        }
        String instead = least > memoryMib
                ? "at least " + least + " MiB"
                : least + " MiB (on q35 more than 2.75 GiB leaves only 2 GiB below 4 GiB)";
        throw new MonitorException(
                MonitorException.Kind.MEMORY_TOO_SMALL,
                memoryMib + " MiB of guest memory cannot hold " + parts + "; they need " + instead,
                least,
                null);
    }

    /**
     * The largest run-time boot configuration in bytes that {@code image} boots with in {@code
     * memoryMib}, 0 when none fits: what a program that writes the configuration without this class
     * (uniwasm-runtime) checks against.
     */
    public static long largestBootConfig(Path image, long memoryMib, Machine machine, boolean network) {
        return largestBootConfig(imageEnd(image), memoryMib, machine, network);
    }

    static long largestBootConfig(long imageEnd, long memoryMib, Machine machine, boolean network) {
        // fits() only gets harder as the configuration grows: the largest that fits is found by halving
        if (!fits(memoryMib, imageEnd, 1, machine, network)) return 0;
        long lo = 1, hi = BOOT_CONFIG_LIMIT;
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (fits(memoryMib, imageEnd, mid, machine, network)) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** The format's limit: the total size is a u32 (kernel/README.md, "Boot configuration"). */
    private static final long BOOT_CONFIG_LIMIT = 0xffff_ffffL;

    /** The least guest memory in MiB that fits, or -1 when none does. */
    static long leastMib(long imageEnd, long initrdBytes, Machine machine, boolean network) {
        for (long m = 1; m <= SEARCH_LIMIT_MIB; m++) {
            if (fits(m, imageEnd, initrdBytes, machine, network)) return Math.max(m, VmConfig.MIN_MEMORY_MIB);
        }
        return -1;
    }

    static boolean fits(long memoryMib, long imageEnd, long initrdBytes, Machine machine, boolean network) {
        long memory = memoryMib * MIB;
        long low = lowRam(memory, machine);
        long acpi = machine == Machine.Q35 ? Q35_ACPI_ROOM : 0;
        long initrdPages = (initrdBytes + PAGE - 1) / PAGE * PAGE;
        if (imageEnd > low) return false;
        if (initrdBytes > 0) {
            long initrdMax = low - acpi - 1;
            if (initrdBytes >= initrdMax) return false; // QEMU: "initrd is too large"
            long initrdAt = (initrdMax - initrdBytes) & ~(PAGE - 1);
            if (initrdAt < imageEnd) return false; // QEMU would load it over the image
        }
        return memory - imageEnd - initrdPages - acpi >= floor(network);
    }

    private static long largestInitrd(long imageEnd, Machine machine) {
        long best = 0;
        for (long m = 1; m <= SEARCH_LIMIT_MIB; m++) {
            long low = lowRam(m * MIB, machine);
            long acpi = machine == Machine.Q35 ? Q35_ACPI_ROOM : 0;
            best = Math.max(best, low - acpi - 1 - imageEnd);
        }
        return best;
    }

    private static long lowRam(long memory, Machine machine) {
        return switch (machine) {
            case MICROVM -> Math.min(memory, MICROVM_LOW_RAM_MAX);
            case Q35 -> memory >= Q35_SPLIT_FROM ? Q35_LOW_RAM_SPLIT : memory;
        };
    }

    private static long floor(boolean network) {
        return KERNEL_FLOOR + (network ? NETWORK_FLOOR : 0);
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / (double) MIB);
    }

    /**
     * The end of the image in guest memory: the highest physical address of its PT_LOAD segments
     * (bss included), which is where QEMU's PVH loader puts them. ELF32 and ELF64.
     */
    static long imageEnd(Path image) {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer header = read(ch, 0, 64);
            if (header.limit() < 64 || header.getInt(0) != 0x464c457f) throw notElf(image, "no ELF magic");
            boolean elf64 = header.get(4) == 2;
            long phoff = elf64 ? header.getLong(0x20) : Integer.toUnsignedLong(header.getInt(0x1c));
            int phentsize = Short.toUnsignedInt(header.getShort(elf64 ? 0x36 : 0x2a));
            int phnum = Short.toUnsignedInt(header.getShort(elf64 ? 0x38 : 0x2c));
            if (phnum == 0
                    || phentsize < (elf64 ? 56 : 32)
                    || phoff <= 0
                    || phoff + (long) phnum * phentsize > ch.size()) {
                throw notElf(image, "no program headers");
            }
            ByteBuffer ph = read(ch, phoff, phnum * phentsize);
            long end = 0;
            for (int i = 0; i < phnum; i++) {
                int at = i * phentsize;
                if (ph.getInt(at) != 1) continue; // PT_LOAD
                long paddr = elf64 ? ph.getLong(at + 24) : Integer.toUnsignedLong(ph.getInt(at + 12));
                long memsz = elf64 ? ph.getLong(at + 40) : Integer.toUnsignedLong(ph.getInt(at + 20));
                end = Math.max(end, paddr + memsz);
            }
            if (end == 0) throw notElf(image, "no loadable segment");
            return (end + PAGE - 1) / PAGE * PAGE;
        } catch (IOException e) {
            throw new MonitorException("cannot read image " + image + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer read(FileChannel ch, long at, int bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) break;
        }
        return b.flip();
    }

    private static MonitorException notElf(Path image, String why) {
        return new MonitorException("image " + image + " is not a bootable ELF file (" + why + ")");
    }
}
