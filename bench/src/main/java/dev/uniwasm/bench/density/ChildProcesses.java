package dev.uniwasm.bench.density;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The processes this JVM started, by their command lines (read from /proc, NULs as spaces). */
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
