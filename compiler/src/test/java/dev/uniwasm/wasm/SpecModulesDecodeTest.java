package dev.uniwasm.wasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks the decoder and validator against the Wasm 2.0 spec test suite: every {@code .wast}
 * file is converted with wabt's {@code wast2json}; modules the suite defines must decode and
 * validate, and binary {@code assert_malformed} / {@code assert_invalid} modules must fail with a
 * message that starts with the expected text (and with the right kind of error).
 */
class SpecModulesDecodeTest {
    /**
     * Cases where wast2json's binary differs from the reference interpreter's, so the expectation
     * does not apply to the bytes we get. Keyed by file and line of the assertion.
     */
    private static final Map<String, String> WABT_ENCODING_ARTIFACTS = Map.of(
            "select.wast:324",
            "wabt encodes `select (result)` with no types as plain select 0x1B, "
                    + "so the reference's 'invalid result arity' becomes a type error");

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\": (?:\"((?:[^\"\\\\]|\\\\.)*)\"|(\\d+))");

    @TempDir
    Path work;

    private static Path suiteRoot() {
        String home = System.getProperty("uniwasm.home");
        Path repo = home != null ? Path.of(home) : Path.of("").toAbsolutePath().getParent();
        return repo.resolve("../shared/wasm-testsuite").normalize();
    }

    private static boolean wast2jsonAvailable() {
        try {
            Process p = new ProcessBuilder("wast2json", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void wasm2SpecModules() throws Exception {
        Path suite = suiteRoot().resolve("wasm-2.0");
        assumeTrue(Files.isDirectory(suite), "spec test suite not found at " + suite);
        assumeTrue(wast2jsonAvailable(), "wast2json (wabt) is not on PATH: skipping the spec cross-check");
        Path patched = suiteRoot().resolve("wasm-2.0-patched");

        Tally tally = new Tally();
        List<Path> wastFiles;
        try (Stream<Path> s = Files.list(suite)) {
            wastFiles = s.filter(p -> p.toString().endsWith(".wast")).sorted().toList();
        }
        for (Path wast : wastFiles) {
            Path source = patched.resolve(wast.getFileName());
            if (!Files.exists(source)) source = wast;
            checkFile(source, tally, Features.WASM2, List.of());
        }
        System.out.println(tally.summary());
        tally.failures.forEach(System.out::println);
        assertTrue(tally.valid > 1500, "too few modules checked: " + tally.summary());
        assertEquals(List.of(), tally.failures, tally.summary());
    }

    /** The proposals the decoder supports beyond 2.0, each checked with every feature enabled. */
    @Test
    void proposalSpecModules() throws Exception {
        Path proposals = suiteRoot().resolve("proposals");
        assumeTrue(Files.isDirectory(proposals), "proposal tests not found at " + proposals);
        assumeTrue(wast2jsonAvailable(), "wast2json (wabt) is not on PATH: skipping the spec cross-check");
        Tally tally = new Tally();
        for (String proposal : List.of("multi-memory", "extended-const", "tail-call")) {
            Path dir = proposals.resolve(proposal);
            if (!Files.isDirectory(dir)) continue;
            List<Path> wastFiles;
            try (Stream<Path> s = Files.list(dir)) {
                wastFiles =
                        s.filter(p -> p.toString().endsWith(".wast")).sorted().toList();
            }
            for (Path wast : wastFiles) {
                checkFile(
                        wast,
                        tally,
                        Features.ALL,
                        List.of("--enable-multi-memory", "--enable-extended-const", "--enable-tail-call"));
            }
        }
        System.out.println("proposals: " + tally.summary());
        tally.failures.forEach(System.out::println);
        assertTrue(tally.valid > 100, "too few modules checked: " + tally.summary());
        assertEquals(List.of(), tally.failures, tally.summary());
    }

    private void checkFile(Path wast, Tally tally, Features features, List<String> wabtFlags)
            throws IOException, InterruptedException {
        String base = wast.getParent().getFileName() + "-"
                + wast.getFileName().toString().replace(".wast", "");
        Path outDir = Files.createDirectories(work.resolve(base));
        Path json = outDir.resolve(base + ".json");
        List<String> command = new ArrayList<>(List.of("wast2json"));
        command.addAll(wabtFlags);
        command.addAll(List.of(wast.toString(), "-o", json.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(json)) {
            // Not a decoder failure: wabt cannot read the file (e.g. comments.wast crashes 1.0.32).
            tally.unconverted.add(
                    wast.getFileName() + ": " + output.lines().findFirst().orElse("(no output)"));
            return;
        }
        for (String line : Files.readAllLines(json)) {
            Map<String, String> fields = new TreeMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) fields.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
            String type = fields.get("type");
            String file = fields.get("filename");
            if (type == null || file == null || !file.endsWith(".wasm")) continue;
            String moduleType = fields.get("module_type");
            if (moduleType != null && !moduleType.equals("binary")) continue;
            String where = wast.getFileName() + ":" + fields.get("line");
            byte[] bytes = Files.readAllBytes(outDir.resolve(file));
            WasmException error = decodeAndValidate(bytes, features, where, tally);
            switch (type) {
                case "assert_malformed", "assert_invalid" -> {
                    boolean malformed = type.equals("assert_malformed");
                    String expected = fields.get("text");
                    boolean ok = error != null
                            && error.reason().startsWith(expected)
                            && (error instanceof MalformedModuleException) == malformed;
                    if (malformed) tally.malformed++;
                    else tally.invalid++;
                    if (!ok) {
                        String artifact = WABT_ENCODING_ARTIFACTS.get(where);
                        if (artifact != null) {
                            tally.artifacts.add(where + ": " + artifact);
                        } else {
                            tally.failures.add(where + " " + type + " expected \"" + expected + "\" but got "
                                    + (error == null
                                            ? "success"
                                            : error.getClass().getSimpleName() + ": " + error.getMessage()));
                        }
                    } else {
                        tally.passed++;
                    }
                }
                default -> {
                    // module, assert_trap / assert_uninstantiable / assert_unlinkable modules: all valid.
                    tally.valid++;
                    if (error != null) {
                        tally.failures.add(where + " " + type + " should be valid: " + error.getMessage());
                    } else {
                        tally.passed++;
                    }
                }
            }
        }
    }

    private static WasmException decodeAndValidate(byte[] bytes, Features features, String where, Tally tally) {
        try {
            Validator.validate(ModuleDecoder.decode(bytes, features), features);
            return null;
        } catch (WasmException e) {
            return e;
        } catch (RuntimeException e) {
            // Any other exception is a decoder bug: malformed input must always be reported cleanly.
            tally.failures.add(where + " crashed: " + e);
            return null;
        }
    }

    private static final class Tally {
        int valid;
        int malformed;
        int invalid;
        int passed;
        final List<String> failures = new ArrayList<>();
        final List<String> artifacts = new ArrayList<>();
        final List<String> unconverted = new ArrayList<>();

        String summary() {
            return "spec modules: " + passed + " passed of " + (valid + malformed + invalid) + " (valid " + valid
                    + ", assert_malformed " + malformed + ", assert_invalid " + invalid + "); "
                    + failures.size() + " failures; wabt artifacts skipped: " + artifacts + "; not converted: "
                    + unconverted;
        }
    }
}
