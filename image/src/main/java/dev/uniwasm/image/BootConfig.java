package dev.uniwasm.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the kernel hands the app at start: its argv (args.get(0) is the program name, as WASI apps
 * expect), its environment as "KEY=VALUE" entries, and whether the kernel reports progress on the
 * control channel. {@link #encode()} gives the one binary form the kernel reads (kernel/README.md,
 * "Boot configuration"): baked into an image, or passed at run time as the PVH module (qemu -initrd).
 */
public record BootConfig(List<String> args, List<String> env, boolean verbose, List<Mount> mounts,
        NetworkConfig network) {
    /** Format identification, checked by the kernel (boot/bootconfig.c). */
    static final byte[] MAGIC = {'U', 'W', 'B', 'C'};
    static final int VERSION = 1;
    static final int HEADER_SIZE = 20;
    /** Version 2 adds the mount table; a config without mounts is still written as version 1. */
    static final int VERSION_WITH_MOUNTS = 2;
    static final int HEADER_SIZE_WITH_MOUNTS = 32;
    static final int MOUNT_ENTRY_SIZE = 32;
    static final int FLAG_VERBOSE = 1;
    /** Version 3: version 2 plus the offset of the network section at byte 28 (written only with a network). */
    static final int VERSION_WITH_NETWORK = 3;

    public BootConfig(List<String> args, List<String> env, boolean verbose) {
        this(args, env, verbose, List.of(), null);
    }

    public BootConfig(List<String> args, List<String> env, boolean verbose, List<Mount> mounts) {
        this(args, env, verbose, mounts, null);
    }

    /** The same configuration with the guest network (null: none). */
    public BootConfig withNetwork(NetworkConfig network) {
        return new BootConfig(args, env, verbose, mounts, network);
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
                throw new ImageException("environment entry " + i + " contains a NUL character, which WASI cannot pass");
            }
            if (e.indexOf('=') <= 0) {
                throw new ImageException("environment entry " + i + " (\"" + e + "\") is not of the form KEY=VALUE");
            }
        }
    }

    /**
     * Little-endian: magic "UWBC", u16 version, u16 flags (bit 0 verbose), u32 total size, u32 argc,
     * u32 envc, then argc + envc NUL-terminated UTF-8 strings, arguments first.
     */
    public byte[] encode() {
        if (!mounts.isEmpty() || network != null) return encodeWithMounts();
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        for (String s : args) writeString(strings, s);
        for (String s : env) writeString(strings, s);
        long total = (long) HEADER_SIZE + strings.size();
        if (total > Integer.MAX_VALUE) throw new ImageException("boot configuration exceeds 2 GiB");
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC);
        out.putShort((short) VERSION);
        out.putShort((short) (verbose ? FLAG_VERBOSE : 0));
        out.putInt((int) total);
        out.putInt(args.size());
        out.putInt(env.size());
        out.put(strings.toByteArray());
        return out.array();
    }

    /**
     * Version 2: the version 1 fields, then u32 mount count (20), u32 mount table offset (24), u32 0
     * (28); strings from byte 32; the mount table (8-aligned, 32 bytes an entry: u32 kind, u32 guest
     * path length, u64 guest path offset, u64 image offset or 0, u64 image size or tmpfs limit); then
     * guest paths and images, each image 8-aligned. Offsets count from the config's first byte.
     */
    private byte[] encodeWithMounts() {
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        for (String s : args) writeString(strings, s);
        for (String s : env) writeString(strings, s);
        long tableOffset = align8(HEADER_SIZE_WITH_MOUNTS + (long) strings.size());
        long cursor = tableOffset + (long) MOUNT_ENTRY_SIZE * mounts.size();
        long[] pathOffsets = new long[mounts.size()], imageOffsets = new long[mounts.size()];
        List<byte[]> paths = mounts.stream().map(m -> m.guestPath().getBytes(StandardCharsets.UTF_8)).toList();
        for (int i = 0; i < mounts.size(); i++) {
            pathOffsets[i] = cursor;
            cursor += paths.get(i).length;
        }
        for (int i = 0; i < mounts.size(); i++) {
            if (mounts.get(i).image() == null) continue;
            cursor = align8(cursor);
            imageOffsets[i] = cursor;
            cursor += mounts.get(i).image().length;
        }
        long networkOffset = 0;
        if (network != null) {
            cursor = align8(cursor);
            networkOffset = cursor;
            cursor += network.encodedSize();
        }
        if (cursor > Integer.MAX_VALUE - 8) throw new ImageException("boot configuration with its file-system images exceeds 2 GiB");
        ByteBuffer out = ByteBuffer.allocate((int) cursor).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC);
        out.putShort((short) (network != null ? VERSION_WITH_NETWORK : VERSION_WITH_MOUNTS));
        out.putShort((short) (verbose ? FLAG_VERBOSE : 0));
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
            out.putLong(m.image() == null ? m.sizeLimit() : m.image().length);
        }
        for (int i = 0; i < mounts.size(); i++) {
            out.position((int) pathOffsets[i]);
            out.put(paths.get(i));
        }
        for (int i = 0; i < mounts.size(); i++) {
            if (mounts.get(i).image() == null) continue;
            out.position((int) imageOffsets[i]);
            out.put(mounts.get(i).image());
        }
        if (network != null) {
            out.position((int) networkOffset);
            network.encode(out);
        }
        return out.array();
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
