package dev.uniwasm.wast;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What running one .wast file produced: counts, failures with line numbers, skips with reasons. */
public final class FileResult {
    final String name;
    int passed;
    int failed;
    int skipped;
    final List<String> failures = new ArrayList<>();
    /** "command kind (reason)" -> count */
    final Map<String, Integer> skipReasons = new TreeMap<>();
    /** Modules rejected as expected but with another message than the script's. */
    final List<String> messageDifferences = new ArrayList<>();

    FileResult(String name) {
        this.name = name;
    }

    void pass() {
        passed++;
    }

    void fail(long line, String what) {
        failed++;
        failures.add("line " + line + ": " + what);
    }

    void skip(String kind, String reason) {
        skipped++;
        skipReasons.merge(kind + " (" + reason + ")", 1, Integer::sum);
    }

    public String name() {
        return name;
    }

    public int passed() {
        return passed;
    }

    public int failed() {
        return failed;
    }

    public int skipped() {
        return skipped;
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }
}
