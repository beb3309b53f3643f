package dev.uniwasm.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsImageTest {
    @TempDir
    Path tmp;

    /** The image as bytes, for small trees. */
    static byte[] bytes(FsImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        image.writeTo(Channels.newChannel(out));
        assertEquals(image.size(), out.size(), "writeTo writes size() bytes");
        return out.toByteArray();
    }

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
        byte[] image = bytes(FsImage.pack(tmp));
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
    void bootConfigWithMountsIsVersion2WithAMountTable() throws IOException {
        Files.writeString(Files.createDirectories(tmp.resolve("data")).resolve("f"), "abc");
        FsImage fs = FsImage.pack(tmp.resolve("data"));
        BootConfig c = new BootConfig(
                List.of("app"), List.of(), false, List.of(Mount.image("/data", fs, false), Mount.tmpfs("/tmp", 65536)));
        byte[] bytes = c.encode();
        assertEquals(c.size(), bytes.length);
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
        assertEquals(fs.size(), b.getLong(table + 24));
        assertArrayEquals(bytes(fs), java.util.Arrays.copyOfRange(bytes, fsAt, fsAt + (int) fs.size()));
        assertEquals(3, b.getInt(table + 32), "tmpfs");
        assertEquals("/tmp", name(b, (int) b.getLong(table + 40), b.getInt(table + 36)));
        assertEquals(0, b.getLong(table + 48));
        assertEquals(65536, b.getLong(table + 56));
        assertEquals(1, new BootConfig(List.of("app"), List.of(), false).encode()[4], "without mounts: version 1");
    }

    /** One directory entry of an image: its name's bytes, type and data. */
    record Entry(byte[] name, int type, byte[] data) {
        String hexName() {
            return HexFormat.of().formatHex(name);
        }
    }

    /** The root directory's entries, in image order. */
    static List<Entry> rootEntries(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int pos = (int) b.getLong(32 + 16), end = pos + (int) b.getLong(32 + 24);
        List<Entry> entries = new ArrayList<>();
        while (pos < end) {
            int child = b.getInt(pos);
            byte[] name = new byte[b.getShort(pos + 4)];
            b.get(pos + 6, name);
            int inode = 32 + child * 32;
            byte[] data = new byte[(int) b.getLong(inode + 24)];
            b.get((int) b.getLong(inode + 16), data);
            entries.add(new Entry(name, b.get(inode), data));
            pos += 6 + name.length;
        }
        return entries;
    }

    /**
     * Runs {@code sh -c script} in {@code dir}: names given to printf as octal escapes make files
     * with exactly those bytes whatever this JVM's locale, since the command line stays ASCII.
     */
    static void sh(Path dir, String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "cd \"$1\" && " + script, "sh", dir.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), script + ": " + out);
    }

    /** Runs {@link Child} in a JVM of its own with the given heap limit and environment; returns its stdout. */
    static byte[] child(String maxHeap, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap,
                "-cp",
                System.getProperty("java.class.path"),
                Child.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child JVM did not end");
        assertEquals(
                0, p.exitValue(), "child " + List.of(args) + " failed: " + new String(err, StandardCharsets.UTF_8));
        return out;
    }

    /** What the tests run in a JVM of their own: under another locale, or with a small heap. */
    static final class Child {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[1]);
            switch (args[0]) {
                // the image of a small tree on stdout
                case "image" -> {
                    FsImage image = FsImage.pack(dir);
                    image.writeTo(Channels.newChannel(System.out));
                    System.out.flush();
                }
                // a boot configuration mounting the tree, written to a sink that keeps only its ends
                case "config" -> {
                    BootConfig config = new BootConfig(
                            List.of("app"), List.of(), false, List.of(Mount.image("/big", FsImage.pack(dir), false)));
                    Ends ends = new Ends();
                    config.writeTo(ends);
                    System.out.println("size " + config.size() + " written " + ends.count + " head "
                            + HexFormat.of().formatHex(ends.head, 0, 12) + " tail "
                            + HexFormat.of().formatHex(ends.tail()));
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
    }

    /** Counts what is written and keeps the first 64 and the last 16 bytes. */
    static final class Ends implements WritableByteChannel {
        final byte[] head = new byte[64];
        private byte[] tail = new byte[0];
        long count;

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            byte[] chunk = new byte[n];
            src.get(chunk);
            if (count < head.length)
                System.arraycopy(chunk, 0, head, (int) count, (int) Math.min(n, head.length - count));
            byte[] joined = new byte[tail.length + n];
            System.arraycopy(tail, 0, joined, 0, tail.length);
            System.arraycopy(chunk, 0, joined, tail.length, n);
            tail = java.util.Arrays.copyOfRange(joined, Math.max(0, joined.length - 16), joined.length);
            count += n;
            return n;
        }

        byte[] tail() {
            return tail;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    @Test
    void namesAndLinkTargetsAreTheHostsBytesUnderAnyLocale() throws Exception {
        // é.txt, ü.txt, and a link to "café"; under LANG=C the JDK's own decoding made both names
        // "\uFFFD\uFFFD.txt", which the kernel refused to link twice
        sh(
                tmp,
                "touch \"$(printf '\\303\\251.txt')\" \"$(printf '\\303\\274.txt')\" && ln -s \"$(printf 'caf\\303\\251')\" l");
        for (Map<String, String> locale : List.of(Map.of("LC_ALL", "C", "LANG", "C"), Map.of("LC_ALL", "C.UTF-8"))) {
            List<Entry> entries = rootEntries(child("64m", locale, "image", tmp.toString()));
            assertEquals(
                    List.of("6c", "c3a92e747874", "c3bc2e747874"),
                    entries.stream().map(Entry::hexName).toList(),
                    "names sorted by their bytes, under " + locale);
            assertEquals(
                    "café", new String(entries.get(0).data(), StandardCharsets.UTF_8), "link target under " + locale);
        }
    }

    @Test
    void namesThatAreNotUtf8AreRefusedNamingTheirBytes() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("odd"));
        // x\xfe and x\xff: both "x\uFFFD" to a JVM, so once packed under one name twice (a kernel panic)
        sh(dir, "touch \"$(printf 'x\\376')\" \"$(printf 'x\\377')\"");
        ImageException e = assertThrows(ImageException.class, () -> FsImage.pack(dir));
        assertTrue(e.getMessage().contains("/odd/x\\xfe: the file name is not valid UTF-8"), e.getMessage());
        Path link = Files.createDirectories(tmp.resolve("link"));
        sh(link, "ln -s \"$(printf 'a\\377b')\" l");
        ImageException target = assertThrows(ImageException.class, () -> FsImage.pack(link));
        assertTrue(
                target.getMessage().contains("/link/l: the link's target \"a\\xffb\" is not valid UTF-8"),
                target.getMessage());
    }

    @Test
    void twoEntriesOfOneNameAreRefused() {
        byte[] name = "a".getBytes(StandardCharsets.UTF_8);
        FsImage.checkName(tmp.resolve("a"), name, "Z".getBytes(StandardCharsets.UTF_8));
        ImageException e =
                assertThrows(ImageException.class, () -> FsImage.checkName(tmp.resolve("a"), name, name.clone()));
        assertTrue(e.getMessage().contains("two entries of this directory have this name"), e.getMessage());
    }

    @Test
    void aFileLargerThanTheHeapIsStreamed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("big"));
        long size = 5L << 29; // 2.5 GiB, sparse: costs no disk
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("f").toFile(), "rw")) {
            f.setLength(size);
            f.write("BEGIN".getBytes(StandardCharsets.US_ASCII));
            f.seek(size - 4);
            f.write("END!".getBytes(StandardCharsets.US_ASCII));
        }
        String out = new String(child("32m", Map.of(), "config", dir.toString()), StandardCharsets.UTF_8).strip();
        // config: 32-byte header, "app\0", the mount table at 40, "/big", then the image 8-aligned at 80:
        // its header, two inodes, the root's one entry (6 + 1 bytes), then f's bytes to the very end
        long imageSize = 32 + 2 * 32 + 7 + size;
        long total = 80 + imageSize;
        assertTrue(out.startsWith("size " + total + " written " + total + " head 55574243"), out);
        assertTrue(
                out.endsWith(" tail " + "00".repeat(12)
                        + HexFormat.of().formatHex("END!".getBytes(StandardCharsets.US_ASCII))),
                out);
    }

    @Test
    void directoriesBeyondWhatTheBootConfigurationCanCarryAreRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("huge"));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("f").toFile(), "rw")) {
            f.setLength(9L << 29); // 4.5 GiB, sparse
        }
        FsImage image = FsImage.pack(dir);
        ImageException e = assertThrows(
                ImageException.class,
                () -> new BootConfig(List.of("app"), List.of(), false, List.of(Mount.image("/d", image, false))));
        assertTrue(
                e.getMessage().contains("more than the 4294967295 (4 GiB - 1) its format can carry"), e.getMessage());
    }
}
