package dev.uniwasm.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * What the kernel hands the app at start: its argv (args.get(0) is the program name, as WASI apps
 * expect), its environment as "KEY=VALUE" entries, and whether the kernel reports progress on the
 * control channel. {@link #writeTo} writes the one binary form the kernel reads (kernel/README.md,
 * "Boot configuration"): baked into an image, or passed at run time as the PVH module (qemu -initrd).
 * The mounts' file-system images are streamed from the host files, never held in memory.
 */
public record BootConfig(
        List<String> args,
        List<String> env,
        boolean verbose,
        List<Mount> mounts,
        NetworkConfig network,
        boolean noStdin) {
    /** Format identification, checked by the kernel (boot/bootconfig.c). */
    static final byte[] MAGIC = {'U', 'W', 'B', 'C'};

    static final int VERSION = 1;
    static final int HEADER_SIZE = 20;
    /** Version 2 adds the mount table; a config without mounts is still written as version 1. */
    static final int VERSION_WITH_MOUNTS = 2;

    static final int HEADER_SIZE_WITH_MOUNTS = 32;
    static final int MOUNT_ENTRY_SIZE = 32;
    static final int FLAG_VERBOSE = 1;
    /** The app has no stdin: fd 0 reads its end at once (uniwasm-runtime's VM containers without one). */
    static final int FLAG_NO_STDIN = 2;
    /** Version 3: version 2 plus the offset of the network section at byte 28 (written only with a network). */
    static final int VERSION_WITH_NETWORK = 3;
    /** The most a configuration can hold: its total size is a u32 at byte 8. */
    public static final long MAX_SIZE = 0xffff_ffffL;

    public BootConfig(List<String> args, List<String> env, boolean verbose) {
        this(args, env, verbose, List.of(), null, false);
    }

    public BootConfig(List<String> args, List<String> env, boolean verbose, List<Mount> mounts) {
        this(args, env, verbose, mounts, null, false);
    }

    /** The same configuration with the guest network (null: none). */
    public BootConfig withNetwork(NetworkConfig network) {
        return new BootConfig(args, env, verbose, mounts, network, noStdin);
    }

    /** The same configuration for an app without stdin ({@link #FLAG_NO_STDIN}). */
    public BootConfig withoutStdin() {
        return new BootConfig(args, env, verbose, mounts, network, true);
    }

    public BootConfig {
        args = List.copyOf(args);
        env = List.copyOf(env);
        mounts = List.copyOf(mounts);
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).indexOf('\0') >= 0) {
                throw new ImageException("argument " + i + " contains a NUL character, which WASI cannot pass");
            }
        }
        for (int i = 0; i < env.size(); i++) {
            String e = env.get(i);
            if (e.indexOf('\0') >= 0) {
                throw new ImageException(
                        "environment entry " + i + " contains a NUL character, which WASI cannot pass");
            }
            if (e.indexOf('=') <= 0) {
                throw new ImageException("environment entry " + i + " (\"" + e + "\") is not of the form KEY=VALUE");
            }
        }
        checkSize(layout(args, env, mounts, network).total);
    }

    /**
     * The configuration's size in bytes: what {@link #writeTo} writes. At most {@link #MAX_SIZE}.
     */
    public long size() {
        return layout(args, env, mounts, network).total;
    }

    /**
     * The encoded configuration in memory, for small ones (no or small file-system images); a
     * configuration with large images goes through {@link #writeTo} instead.
     */
    public byte[] encode() {
        Layout l = layout(args, env, mounts, network);
        if (l.total > Integer.MAX_VALUE - 8) {
            throw new ImageException(
                    "boot configuration of " + l.total + " bytes is too large to hold in memory; write it to a file");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) l.total);
        try {
            write(l, Channels.newChannel(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes the configuration into {@code file} (created or replaced), streaming the images' file contents. */
    public void writeTo(Path file) throws IOException {
        try (FileChannel out = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            writeTo(out);
        }
    }

    /** Writes the configuration, {@link #size()} bytes, streaming the images' file contents. */
    public void writeTo(WritableByteChannel out) throws IOException {
        write(layout(args, env, mounts, network), out);
    }

    /**
     * Where everything goes. {@code head} is every byte before the first image: the header and
     * strings (version 1: the whole configuration), or for version 2 and 3 also the mount table
     * and the guest paths.
     */
    private record Layout(byte[] head, long[] imageOffsets, long networkOffset, long total) {}

    /**
     * Version 1, little-endian: magic "UWBC", u16 version, u16 flags (bit 0 verbose, bit 1 no stdin), u32 total
     * size, u32 argc, u32 envc, then argc + envc NUL-terminated UTF-8 strings, arguments first.
     *
     * <p>Version 2: the version 1 fields, then u32 mount count (20), u32 mount table offset (24), u32
     * 0 (28); strings from byte 32; the mount table (8-aligned, 32 bytes an entry: u32 kind, u32 guest
     * path length, u64 guest path offset, u64 image offset or 0, u64 image size or tmpfs limit); then
     * guest paths and images, each image 8-aligned. Offsets count from the config's first byte.
     * Version 3 adds the network section's offset at byte 28 and the section, 8-aligned, at the end.
     */
    private static Layout layout(List<String> args, List<String> env, List<Mount> mounts, NetworkConfig network) {
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        for (String s : args) writeString(strings, s);
        for (String s : env) writeString(strings, s);
        if (mounts.isEmpty() && network == null) {
            long total = (long) HEADER_SIZE + strings.size();
            checkSize(total);
            ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
            out.put(MAGIC).putShort((short) VERSION).putShort((short) 0).putInt((int) total);
            out.putInt(args.size()).putInt(env.size()).put(strings.toByteArray());
            return new Layout(out.array(), new long[0], 0, total);
        }
        long tableOffset = align8(HEADER_SIZE_WITH_MOUNTS + (long) strings.size());
        long cursor = tableOffset + (long) MOUNT_ENTRY_SIZE * mounts.size();
        long[] pathOffsets = new long[mounts.size()], imageOffsets = new long[mounts.size()];
        List<byte[]> paths = mounts.stream()
                .map(m -> m.guestPath().getBytes(StandardCharsets.UTF_8))
                .toList();
        for (int i = 0; i < mounts.size(); i++) {
            pathOffsets[i] = cursor;
            cursor += paths.get(i).length;
        }
        long headSize = cursor;
        checkSize(headSize);
        for (int i = 0; i < mounts.size(); i++) {
            if (mounts.get(i).image() == null) continue;
            cursor = align8(cursor);
            imageOffsets[i] = cursor;
            cursor += mounts.get(i).image().size();
        }
        long networkOffset = 0;
        if (network != null) {
            cursor = align8(cursor);
            networkOffset = cursor;
            cursor += network.encodedSize();
        }
        checkSize(cursor);
        ByteBuffer out = ByteBuffer.allocate((int) headSize).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC);
        out.putShort((short) (network != null ? VERSION_WITH_NETWORK : VERSION_WITH_MOUNTS));
        out.putShort((short) 0);
        out.putInt((int) cursor);
        out.putInt(args.size());
        out.putInt(env.size());
        out.putInt(mounts.size());
        out.putInt((int) tableOffset);
        out.putInt((int) networkOffset);
        out.put(strings.toByteArray());
        out.position((int) tableOffset);
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            out.putInt(m.kind().code);
            out.putInt(paths.get(i).length);
            out.putLong(pathOffsets[i]);
            out.putLong(imageOffsets[i]);
            out.putLong(m.image() == null ? m.sizeLimit() : m.image().size());
        }
        for (int i = 0; i < mounts.size(); i++) {
            out.position((int) pathOffsets[i]);
            out.put(paths.get(i));
        }
        return new Layout(out.array(), imageOffsets, networkOffset, cursor);
    }

    private static void checkSize(long total) {
        if (total > MAX_SIZE) {
            throw new ImageException("the boot configuration with its packed directories would be " + total
                    + " bytes, more than the " + MAX_SIZE + " (4 GiB - 1) its format can carry");
        }
    }

    private void write(Layout l, WritableByteChannel out) throws IOException {
        ByteBuffer head = ByteBuffer.wrap(l.head).order(ByteOrder.LITTLE_ENDIAN);
        head.putShort(6, (short) ((verbose ? FLAG_VERBOSE : 0) | (noStdin ? FLAG_NO_STDIN : 0)));
        long position = writeFully(head, out);
        for (int i = 0; i < mounts.size(); i++) {
            FsImage image = mounts.get(i).image();
            if (image == null) continue;
            position += writeFully(ByteBuffer.allocate((int) (l.imageOffsets[i] - position)), out);
            image.writeTo(out);
            position += image.size();
        }
        if (network != null) {
            position += writeFully(ByteBuffer.allocate((int) (l.networkOffset - position)), out);
            ByteBuffer section = ByteBuffer.allocate(network.encodedSize()).order(ByteOrder.LITTLE_ENDIAN);
            network.encode(section);
            position += writeFully(section.flip(), out);
        }
        if (position != l.total)
            throw new IllegalStateException("boot configuration: wrote " + position + " bytes of " + l.total);
    }

    private static long writeFully(ByteBuffer b, WritableByteChannel out) throws IOException {
        int n = b.remaining();
        while (b.hasRemaining()) out.write(b);
        return n;
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
