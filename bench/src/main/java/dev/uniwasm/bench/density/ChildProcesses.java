package dev.uniwasm.bench.density;

import dev.uniwasm.bench.core.BenchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The processes this JVM started, by their command lines (read from /proc, NULs as spaces), and their /proc files. */
final class ChildProcesses {
    private ChildProcesses() {}

    record Child(long pid, String commandLine) {}

    /** Every live descendant of this JVM whose command line passes {@code wanted}. */
    static List<Child> matching(Predicate<String> wanted) {
        List<Child> found = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(p -> {
            String cmd = commandLine(p.pid());
            if (cmd != null && wanted.test(cmd)) found.add(new Child(p.pid(), cmd));
        });
        return found;
    }

    /** {@code /proc/PID/name} given to {@code parse(text, fileName)}; throws when the process is gone or the file cannot be read. */
    static <T> T parseProcFile(long pid, String name, java.util.function.BiFunction<String, String, T> parse) {
        Path file = Path.of("/proc", Long.toString(pid), name);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new BenchException("cannot read " + file + " (process gone?): " + e.getMessage());
        }
        return parse.apply(text, file.toString());
    }

    /** The command line of a live process, or null when it is gone (or a zombie, whose cmdline is empty). */
    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            if (raw.length == 0) return null;
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException gone) {
            return null;
        }
    }
}
