package dev.uniwasm.bench.density;

import dev.uniwasm.bench.core.BenchException;

/**
 * The CPU time a process has used, from {@code /proc/PID/stat}: user plus system time of all its
 * threads, in clock ticks ({@code getconf CLK_TCK}, 100 on Linux/x86-64).
 */
public record ProcStat(long pid, long utimeTicks, long stimeTicks) {
    /** Fields 14 and 15 (utime, stime), counted from 1 as in proc(5). */
    private static final int UTIME_FIELD = 14;

    public static ProcStat of(long pid) {
        return ChildProcesses.parseProcFile(pid, "stat", ProcStat::parse);
    }

    /**
     * Parses one stat line. The command name (field 2) is in parentheses and may itself hold spaces
     * and parentheses, so the fields are counted from the last ')'.
     */
    public static ProcStat parse(String line, String source) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open <= 0 || close < open)
            throw new BenchException(source + ": no \"(comm)\" field in \"" + abbreviate(line) + "\"");
        long pid = number(line.substring(0, open).strip(), source, 1);
        String[] rest = line.substring(close + 1).strip().split("\\s+");
        // rest[0] is field 3 (state)
        int utimeIndex = UTIME_FIELD - 3;
        if (rest.length <= utimeIndex + 1) {
            throw new BenchException(
                    source + ": " + (rest.length + 2) + " fields, expected at least " + (UTIME_FIELD + 1));
        }
        return new ProcStat(
                pid,
                number(rest[utimeIndex], source, UTIME_FIELD),
                number(rest[utimeIndex + 1], source, UTIME_FIELD + 1));
    }

    private static long number(String text, String source, int field) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BenchException(source + ": field " + field + " is \"" + text + "\", not a number");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s.strip();
    }

    public long cpuTicks() {
        return utimeTicks + stimeTicks;
    }
}
