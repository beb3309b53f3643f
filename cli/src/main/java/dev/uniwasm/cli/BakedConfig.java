package dev.uniwasm.cli;

import dev.uniwasm.image.ElfSymbols;
import dev.uniwasm.image.ImageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments and environment an image from 'uniwasm build' carries in its baked boot
 * configuration (symbols {@code uw_baked_config} .. {@code uw_baked_config_end}; format in
 * kernel/README.md, "Boot configuration"). 'uniwasm run' reads them because the kernel takes a
 * run-time config's arguments and environment instead of the baked ones, never merged: a run-time
 * config made only to add a mount must carry the baked ones again.
 */
record BakedConfig(List<String> args, List<String> env) {
    private static final int PT_LOAD = 1;
    private static final byte[] MAGIC = {'U', 'W', 'B', 'C'};
    private static final long MAX_MAPPING = Integer.MAX_VALUE;

    /** Reads the image's baked configuration; a malformed image is a usage error naming the byte offset. */
    static BakedConfig read(Path image) {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            // The program headers lie at the file's start and the strings at the config's start, so
            // mappings of at most 2 GiB (what one can hold) reach them in an image of any size; the
            // packed directories after them are never read here.
            ByteBuffer elf = ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(ch.size(), MAX_MAPPING))
                    .order(ByteOrder.LITTLE_ENDIAN);
            long start = -1, end = -1;
            for (ElfSymbols.Symbol s : ElfSymbols.read(image)) {
                if (s.name().equals("uw_baked_config")) start = s.value();
                else if (s.name().equals("uw_baked_config_end")) end = s.value();
            }
            if (start < 0 || end < start) {
                throw new UsageException(
                        image + ": no baked boot configuration (uw_baked_config): not an image from 'uniwasm build'");
            }
            long offset = fileOffset(image, elf, ch.size(), start, end - start);
            long mapped = Math.min(end - start, MAX_MAPPING);
            return decode(
                    image,
                    ch.map(FileChannel.MapMode.READ_ONLY, offset, mapped).order(ByteOrder.LITTLE_ENDIAN),
                    offset);
        } catch (IOException e) {
            throw new UsageException(image + ": cannot read: " + e.getMessage());
        } catch (ImageException e) {
            throw new UsageException(image + ": not an image from 'uniwasm build': " + e.getMessage());
        }
    }

    /** Where the bytes at virtual address vaddr lie in the file: the PT_LOAD segment holding them. */
    private static long fileOffset(Path image, ByteBuffer elf, long imageSize, long vaddr, long size) {
        long phoff = elf.getLong(0x20);
        int phentsize = Short.toUnsignedInt(elf.getShort(0x36));
        int phnum = Short.toUnsignedInt(elf.getShort(0x38));
        if (phoff <= 0 || phentsize < 56 || phoff + (long) phnum * phentsize > elf.limit()) {
            throw new UsageException(
                    image + ": malformed ELF program headers at byte offset 32 (e_phoff " + phoff + ")");
        }
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (elf.getInt(ph) != PT_LOAD) continue;
            long offset = elf.getLong(ph + 8), segment = elf.getLong(ph + 16), fileSize = elf.getLong(ph + 32);
            if (vaddr >= segment && vaddr + size <= segment + fileSize) {
                long at = offset + (vaddr - segment);
                if (at + size > imageSize) break;
                return at;
            }
        }
        throw new UsageException(image + ": the baked boot configuration at address 0x" + Long.toHexString(vaddr)
                + " lies in no loaded segment of the file");
    }

    /** The header and the argc + envc strings after it (version 1: from byte 20; versions 2 and 3: from byte 32). */
    private static BakedConfig decode(Path image, ByteBuffer config, long fileOffset) {
        if (config.limit() < 20 || !config.slice(0, 4).equals(ByteBuffer.wrap(MAGIC))) {
            throw new UsageException(image + ": no boot configuration magic 'UWBC' at byte offset " + fileOffset);
        }
        int version = Short.toUnsignedInt(config.getShort(4));
        int stringsAt = switch (version) {
            case 1 -> 20;
            case 2, 3 -> 32;
            default ->
                throw new UsageException(image + ": boot configuration version " + version + " at byte offset "
                        + (fileOffset + 4) + " is not one this uniwasm knows (1..3)");
        };
        long argc = Integer.toUnsignedLong(config.getInt(12)), envc = Integer.toUnsignedLong(config.getInt(16));
        List<String> strings = new ArrayList<>();
        int at = stringsAt;
        for (long i = 0; i < argc + envc; i++) {
            int nul = at;
            while (nul < config.limit() && config.get(nul) != 0) nul++;
            if (nul >= config.limit()) {
                throw new UsageException(image + ": boot configuration string " + i + " at byte offset "
                        + (fileOffset + at) + " runs past the configuration's end");
            }
            byte[] bytes = new byte[nul - at];
            config.get(at, bytes);
            strings.add(new String(bytes, StandardCharsets.UTF_8));
            at = nul + 1;
        }
        return new BakedConfig(strings.subList(0, (int) argc), strings.subList((int) argc, strings.size()));
    }
}
