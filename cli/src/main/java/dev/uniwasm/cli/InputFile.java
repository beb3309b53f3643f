package dev.uniwasm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Reads the files users name, with one-line errors that name them. */
final class InputFile {
    private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};
    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};

    enum Kind {
        WASM,
        IMAGE
    }

    private InputFile() {}

    /**
     * The largest module uniwasm compiles. Real programs are tens of MiB (CPython: 25 MiB, 820 MiB of
     * peak memory to compile); the whole module is held in memory while its LLVM form, many times
     * larger, is built, and a Java array cannot exceed 2 GiB. Checked before anything is read.
     */
    static final long MAX_MODULE_BYTES = 1L << 30;

    /** A module's bytes: a regular file of at most {@link #MAX_MODULE_BYTES}, or a one-line error. */
    static byte[] read(Path file) {
        long size = requireRegularFile(file);
        if (size > MAX_MODULE_BYTES) {
            throw new UsageException(file + ": " + size + " bytes, more than the " + (MAX_MODULE_BYTES >> 20)
                    + " MiB uniwasm compiles (a module is held in memory whole while it is compiled)");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * The file's size; anything but a regular file (a directory, /dev/zero, a FIFO) is an error
     * before it is read, since reading such a file may never end.
     */
    static long requireRegularFile(Path file) {
        if (!Files.exists(file)) throw new UsageException(file + ": no such file");
        if (Files.isDirectory(file)) throw new UsageException(file + ": is a directory, not a file");
        if (!Files.isRegularFile(file))
            throw new UsageException(
                    file + ": not a regular file (a device, FIFO or socket); give a .wasm or image file");
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Tells a Wasm module from a uniwasm image by its first bytes, whatever the file is called. */
    static Kind kind(Path file) {
        requireRegularFile(file);
        byte[] head = new byte[4];
        int n;
        try (var in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
        return kind(file, n == 4 ? head : new byte[0]);
    }

    /** The same for a file read already. */
    static Kind kind(Path file, byte[] bytes) {
        if (bytes.length >= 4 && Arrays.equals(bytes, 0, 4, WASM_MAGIC, 0, 4)) return Kind.WASM;
        if (bytes.length >= 4 && Arrays.equals(bytes, 0, 4, ELF_MAGIC, 0, 4)) return Kind.IMAGE;
        throw new UsageException(file + ": neither a Wasm module (\\0asm) nor a uniwasm image (ELF)");
    }
}
