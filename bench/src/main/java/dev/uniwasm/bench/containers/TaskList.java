package dev.uniwasm.bench.containers;

import dev.uniwasm.bench.core.BenchException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The output of {@code ctr tasks ls}: a header {@code TASK PID STATUS}, then one line per task. */
final class TaskList {
    record Task(String id, long pid, String status) {}

    private TaskList() {}

    /** The tasks by id, in the order listed; throws on a line that is not {@code ID PID STATUS}. */
    static Map<String, Task> parse(String text) {
        Map<String, Task> tasks = new LinkedHashMap<>();
        String[] lines = text.strip().split("\n");
        if (lines.length == 0 || lines[0].isBlank())
            throw new BenchException("ctr tasks ls printed nothing, not even its header");
        String[] header = lines[0].strip().split("\\s+");
        if (header.length != 3
                || !header[0].equals("TASK")
                || !header[1].equals("PID")
                || !header[2].equals("STATUS")) {
            throw new BenchException("ctr tasks ls: header \"" + lines[0].strip() + "\", expected \"TASK PID STATUS\"");
        }
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].strip().split("\\s+");
            if (f.length != 3)
                throw new BenchException(
                        "ctr tasks ls line " + (i + 1) + ": \"" + lines[i].strip() + "\", expected TASK PID STATUS");
            long pid;
            try {
                pid = Long.parseLong(f[1]);
            } catch (NumberFormatException e) {
                throw new BenchException("ctr tasks ls line " + (i + 1) + ": PID \"" + f[1] + "\" is not a number");
            }
            tasks.put(f[0], new Task(f[0], pid, f[2]));
        }
        return tasks;
    }
}
