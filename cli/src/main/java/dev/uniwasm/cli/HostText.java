package dev.uniwasm.cli;

import dev.uniwasm.image.HostBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line and environment as the bytes Linux gave the process ({@code /proc/self/cmdline},
 * {@code /proc/self/environ}), read as UTF-8. The JVM decodes them with the locale's character set,
 * which under {@code LANG=C} is ASCII: every other byte became U+FFFD, and bytes that are not
 * UTF-8 became U+FFFD under any locale. WASI hands the app UTF-8 strings, so text that is not
 * UTF-8 is refused, naming it with its odd bytes as {@code \xNN}.
 */
final class HostText {
    /**
     * Set by the {@code uniwasm} launcher, which starts the JVM with {@code LC_ALL=C.UTF-8}: "unset"
     * when the user had no LC_ALL, else "=" and the user's value. {@code --env LC_ALL} hands on the
     * user's, not the launcher's.
     */
    static final String LAUNCHER_LC_ALL = "UNIWASM_HOST_LC_ALL";

    private HostText() {}

    /**
     * {@code decoded}, the arguments the JVM gave main, as their exact bytes decoded as UTF-8. They are
     * the last entries of the process's command line; when that cannot be read or does not match
     * them, the JVM's decoding is kept.
     */
    static String[] arguments(String[] decoded) {
        List<byte[]> raw = nulSeparated(Path.of("/proc/self/cmdline"));
        if (raw == null || raw.size() < decoded.length) return decoded;
        List<byte[]> mine = raw.subList(raw.size() - decoded.length, raw.size());
        String[] exact = new String[decoded.length];
        for (int i = 0; i < decoded.length; i++) {
            // ASCII survives every decoding: where it differs, these are not main's arguments
            if (!ascii(new String(mine.get(i), StandardCharsets.UTF_8)).equals(ascii(decoded[i]))) return decoded;
            String s = HostBytes.utf8(mine.get(i));
            if (s == null) {
                throw new UsageException(
                        "argument " + (i + 1) + " (\"" + HostBytes.escaped(mine.get(i)) + "\") is not valid UTF-8: "
                                + "uniwasm reads its command line as UTF-8, and WASI hands the app UTF-8 strings");
            }
            exact[i] = s;
        }
        return exact;
    }

    /** The host's value of the environment variable {@code name} (null when unset), exactly. */
    static String environment(String name) {
        if (name.equals("LC_ALL")) {
            String recorded = System.getenv(LAUNCHER_LC_ALL);
            if (recorded != null) {
                if (recorded.equals("unset")) return null;
                if (recorded.startsWith("="))
                    return rawEnvironment(LAUNCHER_LC_ALL, name).substring(1);
            }
        }
        return rawEnvironment(name, name);
    }

    /** The variable {@code name} from /proc/self/environ; {@code shown} names it in errors. */
    private static String rawEnvironment(String name, String shown) {
        List<byte[]> entries = nulSeparated(Path.of("/proc/self/environ"));
        if (entries == null) return System.getenv(name);
        byte[] prefix = (name + "=").getBytes(StandardCharsets.UTF_8);
        for (byte[] e : entries) {
            if (e.length < prefix.length || !Arrays.equals(e, 0, prefix.length, prefix, 0, prefix.length)) continue;
            byte[] value = Arrays.copyOfRange(e, prefix.length, e.length);
            String s = HostBytes.utf8(value);
            if (s == null) {
                throw new UsageException("the host's " + shown + " (\"" + HostBytes.escaped(value)
                        + "\") is not valid UTF-8, " + "which WASI hands the app; give --env " + shown + "=VALUE");
            }
            return s;
        }
        return null;
    }

    /** The ASCII characters of s. */
    private static String ascii(String s) {
        return s.chars()
                .filter(c -> c < 0x80)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }

    /** The NUL-terminated entries of a /proc file, or null when it cannot be read (not Linux). */
    private static List<byte[]> nulSeparated(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        List<byte[]> entries = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        for (byte b : all) {
            if (b == 0) {
                entries.add(current.toByteArray());
                current.reset();
            } else {
                current.write(b);
            }
        }
        if (current.size() > 0) entries.add(current.toByteArray());
        return entries;
    }
}
