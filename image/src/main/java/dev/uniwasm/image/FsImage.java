package dev.uniwasm.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Packs a host directory tree into the file-system image the kernel mounts (format in
 * kernel/README.md, "File-system images"): regular files, directories and symbolic links (kept as
 * links, never followed). Hard links become independent copies. Anything else (sockets, devices,
 * FIFOs) is an error naming the file.
 *
 * <p>Names and link targets are the host's bytes, whatever the JVM's locale ({@link HostBytes}); WASI
 * names are UTF-8, so a name or target that is not valid UTF-8 is an error naming the file with
 * its odd bytes as {@code \xNN}. {@link #pack} only walks the tree; {@link #writeTo} streams the
 * files' contents from the host files to the output, so packing holds no copy of them.
 */
public final class FsImage {
    static final byte[] MAGIC = {'U', 'W', 'F', 'S'};
    static final int VERSION = 1;
    static final int HEADER_SIZE = 32;
    static final int INODE_SIZE = 32;
    /** Inode types are WASI filetype codes. */
    static final int TYPE_DIRECTORY = 3, TYPE_REGULAR_FILE = 4, TYPE_SYMBOLIC_LINK = 7;

    static final int MAX_NAME_BYTES = 255;
    private static final int DIRECTORY_ENTRY_HEADER = 6;
    private static final int CHUNK = 64 * 1024;

    private static final class Inode {
        final int type;
        final long mtimeNanos;
        final Path source;
        final List<Child> children;
        final byte[] linkTarget;
        long size;
        long offset;

        Inode(int type, long mtimeNanos, Path source, List<Child> children, byte[] linkTarget, long size) {
            this.type = type;
            this.mtimeNanos = mtimeNanos;
            this.source = source;
            this.children = children;
            this.linkTarget = linkTarget;
            this.size = size;
        }
    }

    private record Child(byte[] name, int inode) {}

    private final List<Inode> inodes = new ArrayList<>();
    private long totalSize;

    private FsImage() {}

    /**
     * The image of everything under {@code root}, which must be a directory: names, types, sizes and
     * times are read now, file contents only by {@link #writeTo}.
     */
    public static FsImage pack(Path root) {
        if (!Files.isDirectory(root)) throw new ImageException(root + ": not a directory");
        FsImage image = new FsImage();
        try {
            image.add(root);
        } catch (IOException e) {
            throw new ImageException("cannot read " + root + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new ImageException("cannot read " + root + ": " + e.getCause().getMessage());
        }
        image.layOut();
        return image;
    }

    /** The image's size in bytes. */
    public long size() {
        return totalSize;
    }

    private int add(Path path) throws IOException {
        // the root is followed when it is a link (the user named it); everything below is kept as is
        BasicFileAttributes a = inodes.isEmpty()
                ? Files.readAttributes(path, BasicFileAttributes.class)
                : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long mtime = a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                + a.lastModifiedTime().toInstant().getNano();
        int index = inodes.size();
        if (a.isSymbolicLink()) {
            byte[] target = HostBytes.linkTarget(path);
            if (HostBytes.utf8(target) == null) {
                throw new ImageException(HostBytes.display(path) + ": the link's target \"" + HostBytes.escaped(target)
                        + "\" is not valid UTF-8, which WASI paths must be");
            }
            inodes.add(new Inode(TYPE_SYMBOLIC_LINK, mtime, path, null, target, target.length));
        } else if (a.isDirectory()) {
            List<Child> children = new ArrayList<>();
            inodes.add(new Inode(TYPE_DIRECTORY, mtime, path, children, null, 0));
            List<Path> entries;
            try (Stream<Path> s = Files.list(path)) {
                // Path order is the order of the name's bytes, unsigned: the image's "names sorted"
                entries = s.sorted().toList();
            }
            byte[] previous = null;
            for (Path e : entries) {
                byte[] name = HostBytes.fileName(e);
                checkName(e, name, previous);
                previous = name;
                children.add(new Child(name, add(e)));
            }
        } else if (a.isRegularFile()) {
            if (!Files.isReadable(path))
                throw new ImageException(HostBytes.display(path) + ": cannot read it (permission denied)");
            inodes.add(new Inode(TYPE_REGULAR_FILE, mtime, path, null, null, a.size()));
        } else {
            throw new ImageException(HostBytes.display(path)
                    + ": neither a regular file, a directory nor a symbolic link; cannot pack it");
        }
        return index;
    }

    /** A name the guest can be given: UTF-8, not too long, and unlike its neighbour (the kernel links names once). */
    static void checkName(Path entry, byte[] name, byte[] previous) {
        if (HostBytes.utf8(name) == null) {
            throw new ImageException(
                    HostBytes.display(entry) + ": the file name is not valid UTF-8, which WASI file names "
                            + "must be (rename it or leave it out of the directory)");
        }
        if (name.length > MAX_NAME_BYTES) {
            throw new ImageException(HostBytes.display(entry) + ": file name longer than " + MAX_NAME_BYTES + " bytes");
        }
        if (previous != null && Arrays.equals(previous, name)) {
            throw new ImageException(HostBytes.display(entry) + ": two entries of this directory have this name");
        }
    }

    /** Header, inode table, then each inode's data in inode order. */
    private void layOut() {
        long cursor = HEADER_SIZE + (long) INODE_SIZE * inodes.size();
        for (Inode n : inodes) {
            if (n.type == TYPE_DIRECTORY) {
                long size = 0;
                for (Child c : n.children) size += DIRECTORY_ENTRY_HEADER + c.name.length;
                n.size = size;
            }
            n.offset = cursor;
            cursor += n.size;
        }
        totalSize = cursor;
    }

    /**
     * Writes the image, {@link #size()} bytes. Each file's contents go from the host file to
     * {@code out} by {@link FileChannel#transferTo} (in the kernel when {@code out} is a file), so
     * the heap holds one 64 KiB buffer, not the files. A file that shrank since {@link #pack} is an
     * error; one that grew is cut at its packed size.
     */
    public void writeTo(WritableByteChannel out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC)
                .putInt(VERSION)
                .putInt(inodes.size())
                .putInt(0)
                .putLong(HEADER_SIZE)
                .putLong(totalSize);
        for (Inode n : inodes) {
            if (buf.remaining() < INODE_SIZE) drain(buf, out);
            buf.put((byte) n.type)
                    .put(new byte[7])
                    .putLong(n.mtimeNanos)
                    .putLong(n.offset)
                    .putLong(n.size);
        }
        for (Inode n : inodes) {
            switch (n.type) {
                case TYPE_DIRECTORY -> {
                    for (Child c : n.children) {
                        if (buf.remaining() < DIRECTORY_ENTRY_HEADER + c.name.length) drain(buf, out);
                        buf.putInt(c.inode).putShort((short) c.name.length).put(c.name);
                    }
                }
                case TYPE_SYMBOLIC_LINK -> {
                    if (buf.remaining() < n.linkTarget.length) drain(buf, out);
                    buf.put(n.linkTarget);
                }
                default -> {
                    drain(buf, out);
                    copyFile(n, out);
                }
            }
        }
        drain(buf, out);
    }

    private static void drain(ByteBuffer buf, WritableByteChannel out) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) out.write(buf);
        buf.clear();
    }

    private static void copyFile(Inode n, WritableByteChannel out) throws IOException {
        try (FileChannel in = FileChannel.open(n.source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long done = 0;
            while (done < n.size) {
                long moved = in.transferTo(done, n.size - done, out);
                if (moved <= 0) {
                    if (in.size() < n.size) {
                        throw new ImageException(HostBytes.display(n.source) + ": shrank from " + n.size + " to "
                                + in.size() + " bytes while it was being packed");
                    }
                    throw new IOException("copying " + HostBytes.display(n.source) + " stopped after " + done + " of "
                            + n.size + " bytes");
                }
                done += moved;
            }
        }
    }
}
