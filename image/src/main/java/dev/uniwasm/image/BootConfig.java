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
public record BootConfig(List<String> args, List<String> env, boolean verbose) {
    /** Format identification, checked by the kernel (boot/bootconfig.c). */
    static final byte[] MAGIC = {'U', 'W', 'B', 'C'};
    static final int VERSION = 1;
    static final int HEADER_SIZE = 20;
    static final int FLAG_VERBOSE = 1;

    public BootConfig {
        args = List.copyOf(args);
        env = List.copyOf(env);
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

    private static void writeString(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
