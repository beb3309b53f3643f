package dev.uniwasm.wast;

import dev.uniwasm.wasm.Features;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Runs .wast spec scripts: converts each with wast2json, compiles its modules, and checks every
 * command against uwhost. Prints one line per file (failures with line numbers below it), the
 * skipped command kinds with reasons, and finally exactly {@code N passed, N failed, N skipped}.
 *
 * <p>System properties: {@code uniwasm.wast.opt} (optimisation level, default 2: measured as fast as -O1 on the suite, and what users get),
 * {@code uniwasm.wast.jobs} (files run at once, default 2).
 */
public final class WastRunner {
    /** Files that wast2json 1.0.32 cannot convert, with the reason they are skipped. */
    static final Map<String, String> UNCONVERTIBLE = Map.of("comments.wast", "wast2json 1.0.32 crashes on this file");
    /** Failures listed per file (uniwasm.wast.show); the rest are counted. */
    private static final int FAILURES_SHOWN = Integer.getInteger("uniwasm.wast.show", 5);

    private WastRunner() {}

    /** Runs the files; returns 0 when nothing failed, 1 otherwise. */
    public static int run(List<Path> files, PrintStream out) {
        Summary summary = runAll(files, out);
        return summary.failed == 0 ? 0 : 1;
    }

    /** Totals of a run, for tests. */
    public record Summary(int passed, int failed, int skipped, List<FileResult> files) {}

    public static Summary runAll(List<Path> files, PrintStream out) {
        RepoLayout repo = RepoLayout.detect();
        int optLevel = Integer.getInteger("uniwasm.wast.opt", 2);
        int jobs = Math.max(1, Integer.getInteger("uniwasm.wast.jobs", 2));
        Path host = NativeBuild.host(repo);
        Path logs = repo.buildDir().resolve("wast-logs");
        List<FileResult> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(jobs)) {
            List<Future<FileResult>> pending = new ArrayList<>();
            for (Path file : files) pending.add(pool.submit(() -> runFile(repo, host, logs, file, optLevel)));
            for (int i = 0; i < pending.size(); i++) {
                FileResult r;
                try {
                    r = pending.get(i).get();
                } catch (ExecutionException e) {
                    r = new FileResult(files.get(i).getFileName().toString());
                    r.fail(0, "runner error: " + e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                results.add(r);
                printFile(r, out);
            }
        }
        return summarize(results, logs, out);
    }

    static FileResult runFile(RepoLayout repo, Path host, Path logs, Path file, int optLevel) throws IOException {
        String name = file.getFileName().toString();
        FileResult result = new FileResult(name);
        Path source = patchedCopy(repo, file);
        Path scratch = Files.createTempDirectory("uniwasm-wast-");
        try {
            Path json;
            try {
                json = Wast2Json.convert(source, featureFlags(file), scratch);
            } catch (IOException e) {
                String reason = UNCONVERTIBLE.get(name);
                if (reason != null) result.skip(name, reason);
                else result.fail(0, e.getMessage());
                return result;
            }
            ModuleCache cache = new ModuleCache(repo, optLevel, features(file));
            Path log = logs.resolve(name.replaceFirst("\\.wast$", "") + ".host.log");
            new FileRunner(host, log, cache, scratch, result).run(json);
            return result;
        } finally {
            deleteTree(scratch);
        }
    }

    /** The wabt-compatible copy from wasm-2.0-patched/ when the file is one of the patched ones. */
    static Path patchedCopy(RepoLayout repo, Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !parent.getFileName().toString().equals("wasm-2.0")) return file;
        Path patched = parent.resolveSibling("wasm-2.0-patched").resolve(file.getFileName());
        return Files.isRegularFile(patched) ? patched : file;
    }

    /** Proposal scripts live in proposals/NAME/; they need that proposal enabled. */
    private static String proposal(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || parent.getParent() == null) return null;
        if (!parent.getParent().getFileName().toString().equals("proposals")) return null;
        return parent.getFileName().toString();
    }

    static List<String> featureFlags(Path file) {
        String p = proposal(file);
        return p == null ? List.of() : List.of("--enable-" + p);
    }

    static Features features(Path file) {
        String p = proposal(file);
        if (p == null) return Features.WASM2;
        return new Features(p.equals("multi-memory"), p.equals("extended-const"), p.equals("tail-call"));
    }

    private static void printFile(FileResult r, PrintStream out) {
        StringBuilder line = new StringBuilder(r.failed == 0 ? "PASS " : "FAIL ")
                .append(r.name)
                .append("  ")
                .append(r.passed)
                .append(" passed");
        if (r.failed > 0) line.append(", ").append(r.failed).append(" failed");
        if (r.skipped > 0) line.append(", ").append(r.skipped).append(" skipped");
        if (!r.messageDifferences.isEmpty())
            line.append(" (").append(r.messageDifferences.size()).append(" rejected with another message)");
        out.println(line);
        for (int i = 0; i < Math.min(FAILURES_SHOWN, r.failures.size()); i++) out.println("    " + r.failures.get(i));
        if (r.failures.size() > FAILURES_SHOWN)
            out.println("    ... and " + (r.failures.size() - FAILURES_SHOWN) + " more");
        out.flush();
    }

    private static Summary summarize(List<FileResult> results, Path logs, PrintStream out) {
        int passed = 0, failed = 0, skipped = 0;
        Map<String, Integer> skips = new TreeMap<>();
        List<String> differences = new ArrayList<>();
        for (FileResult r : results) {
            passed += r.passed;
            failed += r.failed;
            skipped += r.skipped;
            r.skipReasons.forEach((k, v) -> skips.merge(k, v, Integer::sum));
            for (String d : r.messageDifferences) differences.add(r.name + " " + d);
        }
        if (!skips.isEmpty()) {
            out.println("skipped:");
            skips.forEach((reason, n) -> out.println("    " + n + " " + reason));
        }
        if (!differences.isEmpty()) {
            Path file = logs.resolve("message-differences.txt");
            try {
                Files.createDirectories(logs);
                Files.write(file, differences, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.println(differences.size() + " invalid/malformed modules were rejected with another message than the"
                    + " script's (counted as passed; list in " + file + ")");
        }
        out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
        out.flush();
        return new Summary(passed, failed, skipped, results);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
