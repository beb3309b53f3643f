package dev.uniwasm.bench.containers;

import dev.uniwasm.bench.core.BenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The time the OCI runtime itself takes to create and start each container, as containerd's shim
 * calls it: the shim is given a wrapper (a POSIX shell script) as its runc binary, which runs the real
 * runtime with the same arguments and, for {@code create} and {@code start}, appends
 * {@code COMMAND ID START_NS END_NS STATUS} to a log. Every other command is exec'd unchanged. The
 * wrapper adds a shell and two {@code date} calls around each create and start to the end-to-end
 * figures (the same for every runtime); the logged span covers the runtime alone.
 */
final class RuntimeTimings {
    /** One container's create and start as the wrapper logged them. */
    record Span(double createMillis, double startMillis) {
        double totalMillis() {
            return createMillis + startMillis;
        }
    }

    private RuntimeTimings() {}

    /** Writes the wrapper of {@code runtime} to {@code script}, logging into {@code log}. */
    static void writeWrapper(Path script, Path runtime, Path log) {
        for (Path p : List.of(runtime, log)) {
            if (p.toString().contains("'"))
                throw new BenchException(p + ": a path with a single quote cannot go into the runtime wrapper");
        }
        String text = "#!/bin/sh\n"
                + "# written by uniwasm's containers bench: times the runtime's create and start for the report\n"
                + "real='" + runtime + "'\n"
                + "log='" + log + "'\n"
                + "cmd=\n"
                + "id=\n"
                // the first bare create or start is the command (global flags and their values come before it); the id
                // is last
                + "for a in \"$@\"; do\n"
                + "  case \"$a\" in create|start) [ -z \"$cmd\" ] && cmd=$a ;; esac\n"
                + "  id=$a\n"
                + "done\n"
                + "[ -z \"$cmd\" ] && exec \"$real\" \"$@\"\n"
                + "t0=$(date +%s%N)\n"
                + "\"$real\" \"$@\"\n"
                + "rc=$?\n"
                + "t1=$(date +%s%N)\n"
                + "echo \"$cmd $id $t0 $t1 $rc\" >> \"$log\"\n"
                + "exit $rc\n";
        try {
            Files.writeString(script, text);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new BenchException("cannot write the runtime wrapper " + script + ": " + e.getMessage());
        }
    }

    /**
     * Each container's create and start, by id, from the log's text ({@code source} names it in
     * errors). A failed create or start, a malformed line or a container logged twice is an error.
     */
    static Map<String, Span> parse(String text, String source) {
        Map<String, Double> creates = new HashMap<>(), starts = new HashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            if (line.isBlank()) continue;
            String[] f = line.strip().split(" ");
            String where = source + " line " + lineNumber;
            if (f.length != 5 || !(f[0].equals("create") || f[0].equals("start"))) {
                throw new BenchException(
                        where + ": \"" + line.strip() + "\", expected COMMAND ID START_NS END_NS STATUS");
            }
            long t0 = number(f[2], where), t1 = number(f[3], where), status = number(f[4], where);
            if (status != 0)
                throw new BenchException(where + ": " + f[0] + " of " + f[1] + " exited with status " + status);
            if (t1 < t0) throw new BenchException(where + ": ends before it starts");
            Map<String, Double> into = f[0].equals("create") ? creates : starts;
            if (into.put(f[1], (t1 - t0) / 1e6) != null)
                throw new BenchException(where + ": " + f[0] + " of " + f[1] + " logged twice");
        }
        Map<String, Span> spans = new HashMap<>();
        for (Map.Entry<String, Double> c : creates.entrySet()) {
            Double start = starts.get(c.getKey());
            if (start == null) throw new BenchException(source + ": " + c.getKey() + " was created but never started");
            spans.put(c.getKey(), new Span(c.getValue(), start));
        }
        for (String id : starts.keySet()) {
            if (!creates.containsKey(id))
                throw new BenchException(source + ": " + id + " was started but its create is not logged");
        }
        return spans;
    }

    private static long number(String s, String where) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new BenchException(where + ": \"" + s + "\" is not a number");
        }
    }
}
