package dev.uniwasm.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a POSIX tar stream (ustar, with a pax header for a name longer than ustar's 100 bytes):
 * what an OCI image archive and its layers are. Entries belong to root, carry the time given once
 * (so that the same inputs make the same bytes, and so the same digests), and are streamed: a
 * file's contents are never held in memory.
 */
final class TarWriter implements AutoCloseable {
    static final int BLOCK = 512;
    /** ustar's size field: 11 octal digits. */
    static final long MAX_ENTRY_SIZE = (1L << 33) - 1;

    private static final int NAME_FIELD = 100;

    private final OutputStream out;
    private final long mtime;

    TarWriter(OutputStream out, long mtimeSeconds) {
        this.out = out;
        this.mtime = mtimeSeconds;
    }

    void directory(String name) throws IOException {
        header(name.endsWith("/") ? name : name + "/", 0755, 0, '5');
    }

    void file(String name, byte[] contents, int mode) throws IOException {
        header(name, mode, contents.length, '0');
        out.write(contents);
        pad(contents.length);
    }

    void file(String name, Path contents, int mode) throws IOException {
        long size = Files.size(contents);
        header(name, mode, size, '0');
        long copied;
        try (InputStream in = Files.newInputStream(contents)) {
            copied = in.transferTo(out);
        }
        if (copied != size) throw new IOException(contents + " changed size while it was archived");
        pad(size);
    }

    /** The two zero blocks that end an archive; the underlying stream stays open. */
    @Override
    public void close() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private void header(String name, int mode, long size, char type) throws IOException {
        if (size > MAX_ENTRY_SIZE)
            throw new IOException(name + ": " + size + " bytes, more than a tar entry holds (8 GiB)");
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > NAME_FIELD) {
            byte[] record = paxRecord("path", name);
            writeHeader("PaxHeaders/" + shortened(name), 0644, record.length, 'x');
            out.write(record);
            pad(record.length);
        }
        writeHeader(name, mode, size, type);
    }

    private void writeHeader(String name, int mode, long size, char type) throws IOException {
        byte[] h = new byte[BLOCK];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(nameBytes, 0, h, 0, Math.min(nameBytes.length, NAME_FIELD));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) type;
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        put(h, 265, "root");
        put(h, 297, "root");
        // the checksum is computed with its own field as spaces
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        h[155] = ' ';
        out.write(h);
    }

    private static String shortened(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        int keep = NAME_FIELD - "PaxHeaders/".length();
        return new String(b, 0, Math.min(b.length, keep), StandardCharsets.US_ASCII).replaceAll("[^ -~]", "_");
    }

    /** "LEN key=value\n", where LEN counts the whole record, itself included. */
    static byte[] paxRecord(String key, String value) {
        int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
        int len = body + 1;
        while (String.valueOf(len).length() + body != len) len++;
        return (len + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) out.write(new byte[BLOCK - rest]);
    }

    private static void octal(byte[] h, int at, int width, long value) {
        String digits = Long.toOctalString(value);
        int len = width - 1;
        String padded = "0".repeat(Math.max(0, len - digits.length())) + digits;
        put(h, at, padded);
        h[at + len] = 0;
    }

    private static void put(byte[] h, int at, String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
