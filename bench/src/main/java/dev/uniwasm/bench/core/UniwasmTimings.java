package dev.uniwasm.bench.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the table {@code uniwasm run --timings} prints on stderr: row name to milliseconds. */
public final class UniwasmTimings {
    /** The rows, in the order the CLI prints them. */
    public static final List<String> ROWS = List.of(
            "JVM start", "CLI set-up", "image build", "QEMU start", "guest boot", "app", "VM shutdown", "total");

    private static final Pattern ROW = Pattern.compile(
            "(?m)^\\s+(JVM start|CLI set-up|image build|QEMU start|guest boot|app|VM shutdown|total)\\s+([0-9.]+) ms");

    private UniwasmTimings() {}

    /** Every row with a figure ("n/a" rows are left out); throws when there is no timings table at all. */
    public static Map<String, Double> parse(String stderr) {
        Map<String, Double> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(stderr);
        while (m.find()) rows.put(m.group(1), Double.parseDouble(m.group(2)));
        if (rows.isEmpty()) throw new BenchException("no --timings table on stderr:\n" + stderr.strip());
        return rows;
    }
}
