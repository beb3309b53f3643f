package dev.uniwasm.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Host names and strings as the bytes they are. The JDK decodes file names with the locale's
 * character set ({@code sun.jnu.encoding}: ASCII under {@code LANG=C}), so {@link Path#toString()}
 * may have replaced bytes by U+FFFD; a {@link Path} read from a directory still holds the exact
 * bytes, and {@link Path#toUri()} is the public way to them: it percent-encodes every byte.
 * WASI strings are UTF-8; {@link #utf8} tells which host bytes can be one.
 */
public final class HostBytes {
    private HostBytes() {}

    /** The bytes of {@code path} made absolute (against the working directory), exactly as the kernel has them. */
    public static byte[] absolutePath(Path path) {
        String uri = path.toAbsolutePath().toUri().getRawPath();
        ByteArrayOutputStream out = new ByteArrayOutputStream(uri.length());
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(uri, i + 1, i + 3, 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        byte[] bytes = out.toByteArray();
        // toUri() appends a slash to a directory's path when the path has none of its own
        boolean ownSlash = path.toString().endsWith("/");
        if (!ownSlash && bytes.length > 1 && bytes[bytes.length - 1] == '/')
            bytes = Arrays.copyOf(bytes, bytes.length - 1);
        return bytes;
    }

    /** The last element of {@code path}'s name (a directory entry's name), exactly. */
    public static byte[] fileName(Path path) {
        byte[] all = absolutePath(path);
        int slash = all.length - 1;
        while (slash >= 0 && all[slash] != '/') slash--;
        return Arrays.copyOfRange(all, slash + 1, all.length);
    }

    /** The target of the symbolic link {@code link}, exactly as the link holds it (never resolved). */
    public static byte[] linkTarget(Path link) throws IOException {
        Path target = Files.readSymbolicLink(link);
        if (target.isAbsolute()) return absolutePath(target);
        // a relative target is read through a base whose bytes are known and then cut off again
        Path base = link.toAbsolutePath().getParent();
        byte[] baseBytes = absolutePath(base);
        byte[] joined = absolutePath(base.resolve(target));
        int skip = baseBytes.length + (baseBytes.length == 1 ? 0 : 1);
        return Arrays.copyOfRange(joined, skip, joined.length);
    }

    /** The string these bytes are in UTF-8, or null when they are not valid UTF-8. */
    public static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * The bytes as one printable line: valid UTF-8 as text, every byte that is not part of valid
     * UTF-8, every control character and the backslash as {@code \xNN}.
     */
    public static String escaped(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer chars = CharBuffer.allocate(bytes.length + 1);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        while (true) {
            CoderResult r = d.decode(in, chars, true);
            chars.flip();
            while (chars.hasRemaining()) {
                char c = chars.get();
                if (c < 0x20 || c == 0x7f || c == '\\') out.append(String.format("\\x%02x", (int) c));
                else out.append(c);
            }
            chars.clear();
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) out.append(String.format("\\x%02x", in.get() & 0xff));
            } else {
                return out.toString();
            }
        }
    }

    /** {@link #escaped} of a path's exact bytes. */
    public static String display(Path path) {
        return escaped(absolutePath(path));
    }
}
