package dev.uniwasm.cli;

import dev.uniwasm.image.FsImage;
import dev.uniwasm.image.Mount;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * {@code --dir HOST[::GUEST][:ro|:rw]}, wasmtime's syntax: the host directory is packed into the
 * image or the run-time config and appears at GUEST (default: HOST as written). Read-only unless
 * {@code :rw}, which gives a writable in-memory copy whose changes are lost when the VM exits.
 */
record DirMount(Path host, String guest, boolean writable) {
    Mount toMount() {
        return Mount.image(guest, FsImage.pack(host), writable);
    }

    static final class Converter implements CommandLine.ITypeConverter<DirMount> {
        @Override
        public DirMount convert(String text) {
            // wasmtime's form: HOST::GUEST, or HOST alone (GUEST is then HOST as written); the mode,
            // when given, is the last ':'-separated word
            String spec = text;
            boolean writable = false;
            if (spec.endsWith(":rw") || spec.endsWith(":ro")) {
                writable = spec.endsWith(":rw");
                spec = spec.substring(0, spec.length() - 3);
            }
            String hostPart = spec, guestPart = spec;
            int sep = spec.indexOf("::");
            if (sep >= 0) {
                hostPart = spec.substring(0, sep);
                guestPart = spec.substring(sep + 2);
                int colon = guestPart.lastIndexOf(':');
                if (colon >= 0) {
                    throw new CommandLine.TypeConversionException(
                            "'" + text + "': unknown mount mode '" + guestPart.substring(colon + 1)
                                    + "' (expected HOST[::GUEST][:ro|:rw]; guest paths cannot contain ':')");
                }
            }
            if (hostPart.isEmpty())
                throw new CommandLine.TypeConversionException(
                        "'" + text + "' names no host directory (expected HOST[::GUEST][:rw])");
            if (guestPart.isEmpty())
                throw new CommandLine.TypeConversionException(
                        "'" + text + "' names no guest directory (expected HOST[::GUEST][:rw])");
            GuestPath.check(text, guestPart);
            Path host;
            try {
                host = Path.of(hostPart);
            } catch (InvalidPathException e) {
                // only when the JVM was not started by ./uniwasm, which gives it a UTF-8 locale
                throw new CommandLine.TypeConversionException("'" + text
                        + "': this JVM cannot name the host directory: its file-name " + "encoding is "
                        + System.getProperty("sun.jnu.encoding") + ", not UTF-8 (start it with LC_ALL=C.UTF-8)");
            }
            if (!Files.exists(host))
                throw new CommandLine.TypeConversionException(
                        "'" + text + "': host directory " + host + " does not exist");
            if (!Files.isDirectory(host))
                throw new CommandLine.TypeConversionException("'" + text + "': " + host + " is not a directory");
            return new DirMount(host, guestPart, writable);
        }
    }
}
