package dev.uniwasm.bench.density;

import dev.uniwasm.bench.core.BenchException;

/**
 * The proportional set size of one process from {@code /proc/PID/smaps_rollup}: its private pages
 * plus its share of every page it maps together with other processes, so that the PSS of all the
 * processes of a deployment adds up to the memory it really takes (shared libraries and the QEMU
 * binary are counted once, split between the instances).
 *
 * @param pssKib all of it
 * @param pssAnonKib anonymous memory (heaps, guest RAM, QEMU's translation cache)
 * @param pssFileKib file-backed pages (the binary, its libraries)
 */
public record SmapsRollup(long pssKib, long pssAnonKib, long pssFileKib) {
    /** The rollup of a live process; throws when it is gone or cannot be read. */
    public static SmapsRollup of(long pid) {
        return ChildProcesses.parseProcFile(pid, "smaps_rollup", SmapsRollup::parse);
    }

    /**
     * Parses the text of an smaps_rollup file ({@code source} names it in errors). Pss is required;
     * Pss_Anon and Pss_File (Linux 5.8 and later) are zero when absent.
     */
    public static SmapsRollup parse(String text, String source) {
        long pss = -1, anon = 0, file = 0;
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            int colon = line.indexOf(':');
            // the first line, the rollup's address range, has no field name and is skipped with the rest
            if (colon <= 0) continue;
            String key = line.substring(0, colon);
            if (!key.equals("Pss") && !key.equals("Pss_Anon") && !key.equals("Pss_File")) continue;
            long kib = kibibytes(line.substring(colon + 1).strip(), source, lineNumber, key);
            switch (key) {
                case "Pss" -> pss = kib;
                case "Pss_Anon" -> anon = kib;
                default -> file = kib;
            }
        }
        if (pss < 0) throw new BenchException(source + ": no Pss line (is this an smaps_rollup file?)");
        return new SmapsRollup(pss, anon, file);
    }

    private static long kibibytes(String value, String source, int lineNumber, String key) {
        String[] parts = value.split("\\s+");
        if (parts.length != 2 || !parts[1].equals("kB")) {
            throw new BenchException(
                    source + " line " + lineNumber + ": " + key + " is \"" + value + "\", expected \"N kB\"");
        }
        try {
            return Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            throw new BenchException(
                    source + " line " + lineNumber + ": " + key + " value \"" + parts[0] + "\" is not a number");
        }
    }

    public double pssMib() {
        return pssKib / 1024.0;
    }

    public SmapsRollup plus(SmapsRollup other) {
        return new SmapsRollup(pssKib + other.pssKib, pssAnonKib + other.pssAnonKib, pssFileKib + other.pssFileKib);
    }
}
