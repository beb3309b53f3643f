package dev.uniwasm.cli;

import dev.uniwasm.monitor.VmConfig;
import java.util.Locale;
import picocli.CommandLine;

/**
 * A guest memory size such as 64M, 1G, 1T or 512 (MiB when no unit is given), as whole MiB, within
 * what the kernel can use ({@link VmConfig#MIN_MEMORY_MIB} .. {@link VmConfig#MAX_MEMORY_MIB});
 * what a given image needs is checked when it runs.
 */
final class MemorySize implements CommandLine.ITypeConverter<Long> {
    /** The accepted range as the messages say it. */
    static final String RANGE = VmConfig.MIN_MEMORY_MIB + "M .. " + VmConfig.MAX_MEMORY_MIB / 1024 + "G";

    @Override
    public Long convert(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) t = t.substring(0, t.length() - 2);
        else if (t.endsWith("B")) t = t.substring(0, t.length() - 1);
        char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        long scaleKib = switch (unit) {
            case 'K' -> 1;
            case 'M' -> 1024;
            case 'G' -> 1024 * 1024;
            case 'T' -> 1024L * 1024 * 1024;
            default -> -1;
        };
        String digits = scaleKib < 0 ? t : t.substring(0, t.length() - 1);
        if (scaleKib < 0) scaleKib = 1024;
        long number;
        try {
            number = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit)) throw outOfRange(text);
            throw new CommandLine.TypeConversionException("'" + text + "' is not a size (examples: 64M, 1G, 512)");
        }
        if (number <= 0) throw outOfRange(text);
        if (number > VmConfig.MAX_MEMORY_MIB * 1024 / scaleKib + 1) throw outOfRange(text);
        long kib = number * scaleKib;
        if (kib % 1024 != 0)
            throw new CommandLine.TypeConversionException("'" + text + "' is not a whole number of MiB");
        long mib = kib / 1024;
        if (mib < VmConfig.MIN_MEMORY_MIB || mib > VmConfig.MAX_MEMORY_MIB) throw outOfRange(text);
        return mib;
    }

    private static CommandLine.TypeConversionException outOfRange(String text) {
        return new CommandLine.TypeConversionException("'" + text + "' is out of range (" + RANGE
                + ": the kernel needs " + VmConfig.MIN_MEMORY_MIB + " MiB at least and maps at most "
                + VmConfig.MAX_MEMORY_MIB / 1024 + " GiB)");
    }
}
