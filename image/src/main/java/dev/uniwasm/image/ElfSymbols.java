package dev.uniwasm.image;

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
 * The symbol table (.symtab) of a little-endian ELF64 file: just enough of the format to read the
 * image linker's own output. Malformed input is an {@link ImageException} naming the file and the
 * byte offset.
 */
public final class ElfSymbols {
    /** Symbol types (low nibble of st_info). */
    public static final int STT_OBJECT = 1;

    public static final int STT_FUNC = 2;
    /** Symbol bindings (high nibble of st_info). */
    public static final int STB_LOCAL = 0;

    private static final int SHT_SYMTAB = 2;
    private static final int SHN_UNDEF = 0;
    private static final int SHN_LORESERVE = 0xff00;
    private static final int EHDR_SIZE = 64;
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;

    /** One symbol; {@code section} is its st_shndx (0 when undefined, >= 0xff00 for special ones). */
    public record Symbol(String name, long value, long size, int type, int binding, int section) {
        public boolean isDefined() {
            return section != SHN_UNDEF;
        }
    }

    private final Path file;
    private final FileBytes elf;

    private ElfSymbols(Path file, FileBytes elf) {
        this.file = file;
        this.elf = elf;
    }

    /** Every symbol of the file's .symtab, in table order (the null symbol 0 left out). */
    public static List<Symbol> read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new ElfSymbols(file, FileBytes.map(ch)).symbols();
        } catch (IOException e) {
            throw new ImageException("cannot read ELF file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The same for an ELF file already in memory; {@code name} is used in error messages. */
    public static List<Symbol> read(String name, byte[] bytes) {
        return new ElfSymbols(Path.of(name), FileBytes.of(ByteBuffer.wrap(bytes))).symbols();
    }

    private List<Symbol> symbols() {
        require(elf.limit() >= EHDR_SIZE, 0, "file is " + elf.limit() + " bytes, shorter than an ELF64 header");
        require(elf.get(0) == 0x7f && elf.get(1) == 'E' && elf.get(2) == 'L' && elf.get(3) == 'F', 0, "no ELF magic");
        require(elf.get(4) == 2, 4, "not ELF64 (EI_CLASS " + elf.get(4) + ")");
        require(elf.get(5) == 1, 5, "not little-endian (EI_DATA " + elf.get(5) + ")");
        long shoff = elf.getLong(0x28);
        int shentsize = Short.toUnsignedInt(elf.getShort(0x3a));
        int shnum = Short.toUnsignedInt(elf.getShort(0x3c));
        require(shoff != 0 && shnum != 0, 0x28, "no section headers (e_shoff " + shoff + ", e_shnum " + shnum + ")");
        require(shentsize == SHDR_SIZE, 0x3a, "section header size " + shentsize + ", expected " + SHDR_SIZE);
        require(
                shoff > 0 && shoff + (long) shnum * SHDR_SIZE <= elf.limit(),
                0x28,
                "section headers at " + shoff + " (" + shnum + " of them) run past the end of the file");

        for (int i = 0; i < shnum; i++) {
            long sh = shoff + (long) i * SHDR_SIZE;
            if (elf.getInt(sh + 4) != SHT_SYMTAB) continue;
            long symOffset = elf.getLong(sh + 0x18);
            long symSize = elf.getLong(sh + 0x20);
            int link = elf.getInt(sh + 0x28);
            long entsize = elf.getLong(sh + 0x38);
            require(entsize == SYM_SIZE, sh + 0x38, ".symtab entry size " + entsize + ", expected " + SYM_SIZE);
            checkRange(symOffset, symSize, sh + 0x18, ".symtab");
            require(link > 0 && link < shnum, sh + 0x28, ".symtab links to section " + link + " of " + shnum);
            long strSh = shoff + (long) link * SHDR_SIZE;
            long strOffset = elf.getLong(strSh + 0x18);
            long strSize = elf.getLong(strSh + 0x20);
            checkRange(strOffset, strSize, strSh + 0x18, "the symbol string table");
            return symbols(symOffset, (int) (symSize / SYM_SIZE), strOffset, strSize);
        }
        throw new ImageException("ELF file " + file + " has no symbol table (.symtab): was it stripped?");
    }

    private List<Symbol> symbols(long offset, int count, long strOffset, long strSize) {
        List<Symbol> out = new ArrayList<>(count);
        for (int i = 1; i < count; i++) {
            long at = offset + (long) i * SYM_SIZE;
            long nameOffset = Integer.toUnsignedLong(elf.getInt(at));
            int info = Byte.toUnsignedInt(elf.get(at + 4));
            int section = Short.toUnsignedInt(elf.getShort(at + 6));
            long value = elf.getLong(at + 8);
            long size = elf.getLong(at + 16);
            require(
                    nameOffset < Math.max(strSize, 1),
                    at,
                    "symbol " + i + " has name offset " + nameOffset + " past the string table's " + strSize
                            + " bytes");
            out.add(new Symbol(
                    string(strOffset, strSize, nameOffset, at), value, size, info & 0xf, info >>> 4, section));
        }
        return out;
    }

    private String string(long tableOffset, long tableSize, long offset, long symbolAt) {
        long start = tableOffset + offset;
        long end = start;
        long limit = tableOffset + tableSize;
        while (end < limit && elf.get(end) != 0) end++;
        require(end < limit, symbolAt, "symbol name at string offset " + offset + " is not NUL-terminated");
        byte[] bytes = new byte[Math.toIntExact(end - start)];
        for (int k = 0; k < bytes.length; k++) bytes[k] = elf.get(start + k);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void checkRange(long offset, long size, long fieldAt, String what) {
        require(
                offset >= 0 && size >= 0 && offset + size <= elf.limit() && size / SYM_SIZE <= Integer.MAX_VALUE,
                fieldAt,
                what + " at " + offset + " (" + size + " bytes) runs past the end of the file");
    }

    private void require(boolean ok, long offset, String problem) {
        if (!ok) throw new ImageException("malformed ELF file " + file + " at byte offset " + offset + ": " + problem);
    }

    /**
     * A file's bytes by long offset. A mapping holds at most 2 GiB and an image with packed
     * directories may be larger, so the file is mapped in 1 GiB windows, each reaching 8 bytes into
     * the next so that no field read here straddles two.
     */
    private record FileBytes(ByteBuffer[] windows, long limit) {
        private static final int WINDOW_BITS = 30;
        private static final int OVERLAP = 8;

        private interface Window {
            ByteBuffer get(long start, long length) throws IOException;
        }

        static FileBytes of(ByteBuffer b) {
            try {
                return windows(b.limit(), (start, length) -> b.slice((int) start, (int) length));
            } catch (IOException cannot) {
                throw new AssertionError(cannot);
            }
        }

        static FileBytes map(FileChannel ch) throws IOException {
            return windows(ch.size(), (start, length) -> ch.map(FileChannel.MapMode.READ_ONLY, start, length));
        }

        private static FileBytes windows(long size, Window window) throws IOException {
            int count = (int) Math.max(1, (size + (1L << WINDOW_BITS) - 1) >>> WINDOW_BITS);
            ByteBuffer[] windows = new ByteBuffer[count];
            for (int i = 0; i < count; i++) {
                long start = (long) i << WINDOW_BITS;
                long length = Math.min(size - start, (1L << WINDOW_BITS) + OVERLAP);
                windows[i] = window.get(start, length).order(ByteOrder.LITTLE_ENDIAN);
            }
            return new FileBytes(windows, size);
        }

        private ByteBuffer window(long at) {
            return windows[(int) (at >>> WINDOW_BITS)];
        }

        private int within(long at) {
            return (int) (at & ((1L << WINDOW_BITS) - 1));
        }

        byte get(long at) {
            return window(at).get(within(at));
        }

        short getShort(long at) {
            return window(at).getShort(within(at));
        }

        int getInt(long at) {
            return window(at).getInt(within(at));
        }

        long getLong(long at) {
            return window(at).getLong(within(at));
        }
    }

    /** True for a symbol in an ordinary section (not undefined, absolute or common). */
    static boolean inSection(Symbol s) {
        return s.section() != SHN_UNDEF && s.section() < SHN_LORESERVE;
    }
}
