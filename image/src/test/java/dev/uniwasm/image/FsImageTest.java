package dev.uniwasm.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsImageTest {
    @TempDir
    Path tmp;

    private static String name(ByteBuffer b, int pos, int len) {
        byte[] n = new byte[len];
        b.get(pos, n);
        return new String(n, StandardCharsets.UTF_8);
    }

    @Test
    void packsFilesDirectoriesAndSymlinksInTheDocumentedLayout() throws Exception {
        Files.createDirectories(tmp.resolve("d"));
        Files.writeString(tmp.resolve("a.txt"), "alpha");
        Files.writeString(tmp.resolve("d/b.txt"), "beta!");
        Files.createSymbolicLink(tmp.resolve("l"), Path.of("a.txt"));
        byte[] image = FsImage.pack(tmp);
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("UWFS", new String(image, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt(4));
        int inodes = b.getInt(8);
        assertEquals(5, inodes, "root, a.txt, d, d/b.txt, l");
        assertEquals(32, b.getLong(16));
        assertEquals(image.length, b.getLong(24));
        // inode 0 is the root directory; its entries are sorted by name
        assertEquals(FsImage.TYPE_DIRECTORY, b.get(32));
        int rootData = (int) b.getLong(32 + 16);
        int rootLen = (int) b.getLong(32 + 24);
        int pos = rootData;
        StringBuilder names = new StringBuilder();
        while (pos < rootData + rootLen) {
            int child = b.getInt(pos);
            int len = b.getShort(pos + 4);
            String n = name(b, pos + 6, len);
            names.append(n).append(' ');
            int entry = 32 + child * 32;
            int type = b.get(entry);
            byte[] data = new byte[(int) b.getLong(entry + 24)];
            b.get((int) b.getLong(entry + 16), data);
            switch (n) {
                case "a.txt" -> {
                    assertEquals(FsImage.TYPE_REGULAR_FILE, type);
                    assertArrayEquals("alpha".getBytes(StandardCharsets.UTF_8), data);
                }
                case "l" -> {
                    assertEquals(FsImage.TYPE_SYMBOLIC_LINK, type);
                    assertArrayEquals("a.txt".getBytes(StandardCharsets.UTF_8), data);
                }
                case "d" -> assertEquals(FsImage.TYPE_DIRECTORY, type);
                default -> throw new AssertionError("unexpected entry " + n);
            }
            pos += 6 + len;
        }
        assertEquals("a.txt d l ", names.toString());
    }

    @Test
    void rejectsWhatItCannotPack() throws Exception {
        ImageException notDir = assertThrows(ImageException.class, () -> FsImage.pack(tmp.resolve("missing")));
        assertTrue(notDir.getMessage().contains("not a directory"), notDir.getMessage());
        Path fifo = tmp.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (p.waitFor() == 0) {
            ImageException special = assertThrows(ImageException.class, () -> FsImage.pack(tmp));
            assertTrue(special.getMessage().contains(fifo.toString()), special.getMessage());
        }
    }

    @Test
    void bootConfigWithMountsIsVersion2WithAMountTable() {
        byte[] fs = {1, 2, 3};
        BootConfig c = new BootConfig(List.of("app"), List.of(), false,
                List.of(Mount.image("/data", fs, false), Mount.tmpfs("/tmp", 65536)));
        byte[] bytes = c.encode();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, b.getShort(4));
        assertEquals(bytes.length, b.getInt(8));
        assertEquals(2, b.getInt(20), "mount count");
        int table = b.getInt(24);
        assertEquals(0, table % 8);
        assertEquals("app", name(b, 32, 3));
        assertEquals(1, b.getInt(table), "read-only image");
        assertEquals("/data", name(b, (int) b.getLong(table + 8), b.getInt(table + 4)));
        int fsAt = (int) b.getLong(table + 16);
        assertEquals(0, fsAt % 8);
        assertEquals(3, b.getLong(table + 24));
        assertEquals(2, bytes[fsAt + 1]);
        assertEquals(3, b.getInt(table + 32), "tmpfs");
        assertEquals("/tmp", name(b, (int) b.getLong(table + 40), b.getInt(table + 36)));
        assertEquals(0, b.getLong(table + 48));
        assertEquals(65536, b.getLong(table + 56));
        assertEquals(1, new BootConfig(List.of("app"), List.of(), false).encode()[4], "without mounts: version 1");
    }
}
