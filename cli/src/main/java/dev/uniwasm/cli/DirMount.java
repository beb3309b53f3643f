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
            String hostPart = text, guestPart;
            boolean writable = false;
            int sep = text.indexOf("::");
            if (sep >= 0) {
                hostPart = text.substring(0, sep);
                guestPart = text.substring(sep + 2);
                if (guestPart.endsWith(":rw")) {
                    writable = true;
                    guestPart = guestPart.substring(0, guestPart.length() - 3);
                } else if (guestPart.endsWith(":ro")) {
                    guestPart = guestPart.substring(0, guestPart.length() - 3);
                }
            } else {
                guestPart = hostPart;
            }
            if (hostPart.isEmpty()) throw new CommandLine.TypeConversionException("'" + text + "' names no host directory (expected HOST[::GUEST][:rw])");
            if (guestPart.isEmpty()) throw new CommandLine.TypeConversionException("'" + text + "' names no guest directory (expected HOST[::GUEST][:rw])");
            if (guestPart.indexOf('\0') >= 0) throw new CommandLine.TypeConversionException("'" + text + "': the guest path contains a NUL byte");
            Path host;
            try {
                host = Path.of(hostPart);
            } catch (InvalidPathException e) {
                // only when the JVM was not started by ./uniwasm, which gives it a UTF-8 locale
                throw new CommandLine.TypeConversionException("'" + text + "': this JVM cannot name the host directory: its file-name "
                        + "encoding is " + System.getProperty("sun.jnu.encoding") + ", not UTF-8 (start it with LC_ALL=C.UTF-8)");
            }
            if (!Files.exists(host)) throw new CommandLine.TypeConversionException("'" + text + "': host directory " + host + " does not exist");
            if (!Files.isDirectory(host)) throw new CommandLine.TypeConversionException("'" + text + "': " + host + " is not a directory");
            return new DirMount(host, guestPart, writable);
        }
    }
}
