package dev.uniwasm.bench.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes a cpio archive in the "newc" format, the one the Linux kernel unpacks as an initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst): a 110-byte ASCII header per entry,
 * then the NUL-terminated name and the data, each padded to 4 bytes, ending with "TRAILER!!!".
 * Entries belong to root; parent directories must be added before their contents.
 */
final class Cpio {
    private static final int DIRECTORY = 0040000;
    private static final int REGULAR = 0100000;
    private static final int SYMLINK = 0120000;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Set<String> names = new HashSet<>();
    private int nextInode = 1;
    private boolean finished;

    Cpio directory(String path) {
        return entry(path, DIRECTORY | 0755, 2, new byte[0]);
    }

    Cpio file(String path, int permissions, byte[] data) {
        if ((permissions & ~07777) != 0)
            throw new IllegalArgumentException("cpio " + path + ": permissions " + Integer.toOctalString(permissions));
        return entry(path, REGULAR | permissions, 1, data);
    }

    Cpio symlink(String path, String target) {
        return entry(path, SYMLINK | 0777, 1, target.getBytes(StandardCharsets.UTF_8));
    }

    /** The archive; no entry can be added after this. */
    byte[] finish() {
        if (!finished) {
            header("TRAILER!!!", 0, 1, 0);
            finished = true;
        }
        return out.toByteArray();
    }

    private Cpio entry(String path, int mode, int links, byte[] data) {
        if (finished) throw new IllegalStateException("cpio archive already finished");
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//"))
            throw new IllegalArgumentException("cpio entry name must be relative and normalised: \"" + path + "\"");
        if (!names.add(path)) throw new IllegalArgumentException("cpio entry \"" + path + "\" added twice");
        int slash = path.lastIndexOf('/');
        if (slash > 0 && !names.contains(path.substring(0, slash)))
            throw new IllegalArgumentException(
                    "cpio entry \"" + path + "\" before its directory " + path.substring(0, slash));
        header(path, mode, links, data.length);
        out.writeBytes(data);
        pad();
        return this;
    }

    private void header(String name, int mode, int links, int size) {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        // ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
        long[] fields = {nextInode++, mode, 0, 0, links, 0, size, 0, 0, 0, 0, nameBytes.length, 0};
        for (long f : fields) h.append(String.format("%08X", f));
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(nameBytes);
        pad();
    }

    private void pad() {
        while (out.size() % 4 != 0) out.write(0);
    }
}
