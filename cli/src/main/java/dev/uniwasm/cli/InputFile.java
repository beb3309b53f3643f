package dev.uniwasm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Reads the files users name, with one-line errors that name them. */
final class InputFile {
    private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};
    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};

    enum Kind { WASM, IMAGE }

    private InputFile() {}

    static byte[] read(Path file) {
        if (!Files.exists(file)) throw new UsageException(file + ": no such file");
        if (Files.isDirectory(file)) throw new UsageException(file + ": is a directory, not a file");
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Tells a Wasm module from a uniwasm image by its first bytes, whatever the file is called. */
    static Kind kind(Path file) {
        if (!Files.exists(file)) throw new UsageException(file + ": no such file");
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
