package dev.uniwasm.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Packs a host directory tree into the file-system image the kernel mounts (format in
 * kernel/README.md, "File-system images"): regular files, directories and symbolic links (kept as
 * links, never followed). Hard links become independent copies. Anything else (sockets, devices,
 * FIFOs) is an error naming the file, as is a tree whose image would exceed 2 GiB.
 */
public final class FsImage {
    static final byte[] MAGIC = {'U', 'W', 'F', 'S'};
    static final int VERSION = 1;
    static final int HEADER_SIZE = 32;
    static final int INODE_SIZE = 32;
    /** Inode types are WASI filetype codes. */
    static final int TYPE_DIRECTORY = 3, TYPE_REGULAR_FILE = 4, TYPE_SYMBOLIC_LINK = 7;
    static final int MAX_NAME_BYTES = 255;

    private record Inode(int type, long mtimeNanos, Path source, List<Child> children, byte[] content) {}

    private record Child(String name, int inode) {}

    private final List<Inode> inodes = new ArrayList<>();

    private FsImage() {}

    /** The image of everything under {@code root}, which must be a directory. */
    public static byte[] pack(Path root) {
        if (!Files.isDirectory(root)) throw new ImageException(root + ": not a directory");
        FsImage image = new FsImage();
        try {
            image.add(root);
            return image.encode();
        } catch (IOException e) {
            throw new ImageException("cannot read " + root + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new ImageException("cannot read " + root + ": " + e.getCause().getMessage());
        }
    }

    private int add(Path path) throws IOException {
        // the root is followed when it is a link (the user named it); everything below is kept as is
        BasicFileAttributes a = inodes.isEmpty()
                ? Files.readAttributes(path, BasicFileAttributes.class)
                : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long mtime = a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L + a.lastModifiedTime().toInstant().getNano();
        int index = inodes.size();
        if (a.isSymbolicLink()) {
            byte[] target = Files.readSymbolicLink(path).toString().getBytes(StandardCharsets.UTF_8);
            inodes.add(new Inode(TYPE_SYMBOLIC_LINK, mtime, path, null, target));
        } else if (a.isDirectory()) {
            List<Child> children = new ArrayList<>();
            inodes.add(new Inode(TYPE_DIRECTORY, mtime, path, children, null));
            List<Path> entries;
            try (Stream<Path> s = Files.list(path)) {
                entries = s.sorted().toList();
            }
            for (Path e : entries) {
                String name = e.getFileName().toString();
                if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                    throw new ImageException(e + ": file name longer than " + MAX_NAME_BYTES + " bytes");
                }
                children.add(new Child(name, add(e)));
            }
        } else if (a.isRegularFile()) {
            if (a.size() > Integer.MAX_VALUE - 64) throw new ImageException(path + ": " + a.size() + " bytes, larger than an image can hold (2 GiB)");
            inodes.add(new Inode(TYPE_REGULAR_FILE, mtime, path, null, null));
        } else {
            throw new ImageException(path + ": neither a regular file, a directory nor a symbolic link; cannot pack it");
        }
        return index;
    }

    /** Header, inode table, then each inode's data in inode order. */
    private byte[] encode() throws IOException {
        long tableEnd = HEADER_SIZE + (long) INODE_SIZE * inodes.size();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteBuffer table = ByteBuffer.allocate(INODE_SIZE * inodes.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (Inode n : inodes) {
            byte[] bytes = switch (n.type) {
                case TYPE_DIRECTORY -> directoryData(n.children);
                case TYPE_SYMBOLIC_LINK -> n.content;
                default -> Files.readAllBytes(n.source);
            };
            long offset = tableEnd + data.size();
            if (offset + bytes.length > Integer.MAX_VALUE - 64) {
                throw new ImageException(n.source + ": the image would exceed 2 GiB");
            }
            table.put((byte) n.type).put(new byte[7]);
            table.putLong(n.mtimeNanos).putLong(offset).putLong(bytes.length);
            data.writeBytes(bytes);
        }
        long total = tableEnd + data.size();
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(VERSION).putInt(inodes.size()).putInt(0).putLong(HEADER_SIZE).putLong(total);
        out.put(table.array());
        out.put(data.toByteArray());
        return out.array();
    }

    /** Entries: u32 inode, u16 name length, the name's UTF-8 bytes; no padding. */
    private static byte[] directoryData(List<Child> children) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Child c : children) {
            byte[] name = c.name.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(6 + name.length).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(c.inode).putShort((short) name.length).put(name);
            out.writeBytes(b.array());
        }
        return out.toByteArray();
    }
}
