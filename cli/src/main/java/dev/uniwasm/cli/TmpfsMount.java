package dev.uniwasm.cli;

import dev.uniwasm.image.Mount;
import java.util.Locale;
import picocli.CommandLine;

/**
 * {@code --tmpfs GUEST[:SIZE]}: an empty writable in-memory directory at GUEST holding at most SIZE
 * bytes of file data (K, M, G suffixes; default: as much as guest memory allows). Its contents are
 * lost when the VM exits.
 */
record TmpfsMount(String guest, long sizeLimit) {
    Mount toMount() {
        return Mount.tmpfs(guest, sizeLimit);
    }

    static final class Converter implements CommandLine.ITypeConverter<TmpfsMount> {
        @Override
        public TmpfsMount convert(String text) {
            int colon = text.lastIndexOf(':');
            String guest = colon < 0 ? text : text.substring(0, colon);
            long size = colon < 0 ? 0 : parseSize(text, text.substring(colon + 1));
            if (guest.isEmpty())
                throw new CommandLine.TypeConversionException(
                        "'" + text + "' names no guest directory (expected GUEST[:SIZE])");
            GuestPath.check(text, guest);
            return new TmpfsMount(guest, size);
        }

        static long parseSize(String text, String size) {
            String t = size.strip().toUpperCase(Locale.ROOT);
            if (t.endsWith("IB")) t = t.substring(0, t.length() - 2);
            else if (t.endsWith("B")) t = t.substring(0, t.length() - 1);
            int shift = 0;
            if (!t.isEmpty()) {
                switch (t.charAt(t.length() - 1)) {
                    case 'K' -> shift = 10;
                    case 'M' -> shift = 20;
                    case 'G' -> shift = 30;
                    default -> shift = -1;
                }
            }
            String digits = shift > 0 ? t.substring(0, t.length() - 1) : t;
            long n;
            try {
                n = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + text + "': '" + size + "' is not a size (examples: 64M, 512K, 1G)");
            }
            if (n <= 0 || n > (1L << 40) >> Math.max(shift, 0)) {
                throw new CommandLine.TypeConversionException(
                        "'" + text + "': size '" + size + "' is out of range (1 byte .. 1T)");
            }
            return n << Math.max(shift, 0);
        }
    }
}
