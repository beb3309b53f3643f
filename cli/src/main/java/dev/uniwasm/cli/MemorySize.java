package dev.uniwasm.cli;

import java.util.Locale;
import picocli.CommandLine;

/** A guest memory size such as 64M, 1G or 512 (MiB when no unit is given), as whole MiB. */
final class MemorySize implements CommandLine.ITypeConverter<Long> {
    static final long MAX_MIB = 1L << 20; // 1 TiB: beyond that it is a typo

    @Override
    public Long convert(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) t = t.substring(0, t.length() - 2);
        else if (t.endsWith("B")) t = t.substring(0, t.length() - 1);
        long scaleKib;
        char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (unit) {
            case 'K' -> scaleKib = 1;
            case 'M' -> scaleKib = 1024;
            case 'G' -> scaleKib = 1024 * 1024;
            default -> scaleKib = -1;
        }
        String digits = scaleKib < 0 ? t : t.substring(0, t.length() - 1);
        if (scaleKib < 0) scaleKib = 1024;
        long number;
        try {
            number = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a size (examples: 64M, 1G, 512)");
        }
        if (number <= 0 || number > MAX_MIB * 1024 * 1024 / scaleKib) {
            throw new CommandLine.TypeConversionException("'" + text + "' is out of range (2M .. 1T)");
        }
        long kib = number * scaleKib;
        if (kib % 1024 != 0) throw new CommandLine.TypeConversionException("'" + text + "' is not a whole number of MiB");
        long mib = kib / 1024;
        if (mib < 2) throw new CommandLine.TypeConversionException("'" + text + "' is too small (at least 2M)");
        return mib;
    }
}
